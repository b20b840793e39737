using Loom.Metrics.Cases;

namespace Loom.Metrics.Tests;

/// <summary>Every <c>sacrebleu_bleu</c> case (sacrebleu 2.6.0) through <see cref="SacreBleuBleuCase"/>.</summary>
public class BleuSacreFixtureTests
{
    public static TheoryData<string> Cases => BleuFamilyFixture.CaseIds("sacrebleu_bleu");

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesSacreBleu(string id) => BleuFamilyFixture.Check("sacrebleu_bleu", id, SacreBleuBleuCase.Run);
}
