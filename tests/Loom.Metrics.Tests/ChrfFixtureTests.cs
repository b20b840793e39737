using Loom.Metrics.Cases;

namespace Loom.Metrics.Tests;

/// <summary>Every <c>sacrebleu_chrf</c> case (sacrebleu 2.6.0 chrF / chrF++) through <see cref="SacreChrfCase"/>.</summary>
public class ChrfFixtureTests
{
    public static TheoryData<string> Cases => BleuFamilyFixture.CaseIds("sacrebleu_chrf");

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesSacreBleuChrf(string id) => BleuFamilyFixture.Check("sacrebleu_chrf", id, SacreChrfCase.Run);
}
