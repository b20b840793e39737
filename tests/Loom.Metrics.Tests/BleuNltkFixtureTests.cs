using Loom.Metrics.Cases;

namespace Loom.Metrics.Tests;

/// <summary>Every <c>nltk_bleu</c> case (nltk 3.8 BLEU and smoothing methods 0–7) through <see cref="NltkBleuCase"/>.</summary>
public class BleuNltkFixtureTests
{
    public static TheoryData<string> Cases => BleuFamilyFixture.CaseIds("nltk_bleu");

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesNltk(string id) => BleuFamilyFixture.Check("nltk_bleu", id, NltkBleuCase.Run);
}
