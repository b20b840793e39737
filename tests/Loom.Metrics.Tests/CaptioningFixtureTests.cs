using Loom.Metrics.Cases;

namespace Loom.Metrics.Tests;

/// <summary>Every <c>coco_caption</c> case (pycocoevalcap CIDEr-D, BLEU-1..4, ROUGE-L) and every <c>cider_nonD</c>
/// case (original CIDEr) through <see cref="CocoCaptionCase"/> and <see cref="CiderNonDCase"/>.</summary>
public class CaptioningFixtureTests
{
    public static TheoryData<string> CocoCases => BleuFamilyFixture.CaseIds("coco_caption");

    public static TheoryData<string> CiderCases => BleuFamilyFixture.CaseIds("cider_nonD");

    [Theory]
    [MemberData(nameof(CocoCases))]
    public void MatchesPycocoevalcap(string id) => BleuFamilyFixture.Check("coco_caption", id, CocoCaptionCase.Run);

    [Theory]
    [MemberData(nameof(CiderCases))]
    public void MatchesOriginalCider(string id) => BleuFamilyFixture.Check("cider_nonD", id, CiderNonDCase.Run);
}
