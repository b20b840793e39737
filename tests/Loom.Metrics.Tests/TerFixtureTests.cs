using Loom.Metrics.Cases;

namespace Loom.Metrics.Tests;

/// <summary>Every <c>sacrebleu_ter</c> case (sacrebleu 2.6.0 TER) through <see cref="SacreTerCase"/>.</summary>
public class TerFixtureTests
{
    public static TheoryData<string> Cases => BleuFamilyFixture.CaseIds("sacrebleu_ter");

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesSacreBleuTer(string id) => BleuFamilyFixture.Check("sacrebleu_ter", id, SacreTerCase.Run);
}
