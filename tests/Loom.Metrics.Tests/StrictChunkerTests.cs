using Loom.Metrics.SequenceLabeling;

namespace Loom.Metrics.Tests;

/// <summary>
/// Strict-mode chunking against the expectations of seqeval's own test suite (chakki-works/seqeval
/// <c>tests/test_scheme.py</c>: <c>test_iob1_tokens</c>, <c>test_iob2_tokens</c>, <c>test_ioe1_tokens</c>,
/// <c>test_ioe2_tokens</c>, <c>test_iobes_tokens</c>). Each row: tags, expected entities "TYPE,start,end" (end exclusive).
/// </summary>
public class StrictChunkerTests
{
    [Theory]
    [InlineData(TaggingScheme.Iob1, "B-PER", "")]
    [InlineData(TaggingScheme.Iob1, "I-PER", "PER,0,1")]
    [InlineData(TaggingScheme.Iob1, "O I-PER", "PER,1,2")]
    [InlineData(TaggingScheme.Iob1, "O B-PER", "")]
    [InlineData(TaggingScheme.Iob1, "I-PER O", "PER,0,1")]
    [InlineData(TaggingScheme.Iob1, "I-PER I-PER", "PER,0,2")]
    [InlineData(TaggingScheme.Iob1, "I-PER I-ORG", "PER,0,1 ORG,1,2")]
    [InlineData(TaggingScheme.Iob1, "I-PER B-PER", "PER,0,1 PER,1,2")]
    [InlineData(TaggingScheme.Iob1, "I-PER B-ORG", "PER,0,1")]
    [InlineData(TaggingScheme.Iob1, "B-PER O", "")]
    [InlineData(TaggingScheme.Iob1, "B-PER I-PER", "PER,1,2")]
    [InlineData(TaggingScheme.Iob1, "B-PER I-ORG", "ORG,1,2")]
    [InlineData(TaggingScheme.Iob1, "B-PER B-PER", "PER,1,2")]
    [InlineData(TaggingScheme.Iob1, "B-PER B-ORG", "")]
    [InlineData(TaggingScheme.Iob2, "B-PER", "PER,0,1")]
    [InlineData(TaggingScheme.Iob2, "I-PER", "")]
    [InlineData(TaggingScheme.Iob2, "O B-PER", "PER,1,2")]
    [InlineData(TaggingScheme.Iob2, "I-PER I-PER", "")]
    [InlineData(TaggingScheme.Iob2, "I-PER B-ORG", "ORG,1,2")]
    [InlineData(TaggingScheme.Iob2, "B-PER I-PER", "PER,0,2")]
    [InlineData(TaggingScheme.Iob2, "B-PER I-ORG", "PER,0,1")]
    [InlineData(TaggingScheme.Iob2, "B-PER B-PER", "PER,0,1 PER,1,2")]
    [InlineData(TaggingScheme.Iob2, "B-PER B-ORG", "PER,0,1 ORG,1,2")]
    [InlineData(TaggingScheme.Ioe1, "E-PER", "")]
    [InlineData(TaggingScheme.Ioe1, "I-PER", "PER,0,1")]
    [InlineData(TaggingScheme.Ioe1, "O I-PER", "PER,1,2")]
    [InlineData(TaggingScheme.Ioe1, "O E-PER", "")]
    [InlineData(TaggingScheme.Ioe1, "I-PER I-PER", "PER,0,2")]
    [InlineData(TaggingScheme.Ioe1, "I-PER I-ORG", "PER,0,1 ORG,1,2")]
    [InlineData(TaggingScheme.Ioe1, "I-PER E-ORG", "PER,0,1")]
    [InlineData(TaggingScheme.Ioe1, "E-PER I-PER", "PER,1,2")]
    [InlineData(TaggingScheme.Ioe1, "E-PER I-ORG", "ORG,1,2")]
    [InlineData(TaggingScheme.Ioe1, "E-PER E-PER", "")]
    [InlineData(TaggingScheme.Ioe1, "E-PER E-ORG", "")]
    [InlineData(TaggingScheme.Ioe2, "E-PER", "PER,0,1")]
    [InlineData(TaggingScheme.Ioe2, "I-PER", "")]
    [InlineData(TaggingScheme.Ioe2, "O E-PER", "PER,1,2")]
    [InlineData(TaggingScheme.Ioe2, "I-PER I-ORG", "")]
    [InlineData(TaggingScheme.Ioe2, "I-PER E-PER", "PER,0,2")]
    [InlineData(TaggingScheme.Ioe2, "I-PER E-ORG", "ORG,1,2")]
    [InlineData(TaggingScheme.Ioe2, "E-PER I-PER", "PER,0,1")]
    [InlineData(TaggingScheme.Ioe2, "E-PER E-PER", "PER,0,1 PER,1,2")]
    [InlineData(TaggingScheme.Ioe2, "E-PER E-ORG", "PER,0,1 ORG,1,2")]
    [InlineData(TaggingScheme.Iobes, "S-PER", "PER,0,1")]
    [InlineData(TaggingScheme.Iobes, "B-PER", "")]
    [InlineData(TaggingScheme.Iobes, "I-PER S-PER", "PER,1,2")]
    [InlineData(TaggingScheme.Iobes, "B-PER I-PER", "")]
    [InlineData(TaggingScheme.Iobes, "B-PER E-PER", "PER,0,2")]
    [InlineData(TaggingScheme.Iobes, "B-PER E-ORG", "")]
    [InlineData(TaggingScheme.Iobes, "B-PER S-PER", "PER,1,2")]
    [InlineData(TaggingScheme.Iobes, "E-PER S-PER", "PER,1,2")]
    [InlineData(TaggingScheme.Iobes, "S-PER E-PER", "PER,0,1")]
    [InlineData(TaggingScheme.Iobes, "S-PER S-PER", "PER,0,1 PER,1,2")]
    public void EntitiesMatchSeqevalTestSuite(TaggingScheme scheme, string tags, string expected)
    {
        var entities = StrictChunker.GetEntities([tags.Split(' ')], scheme);
        var actual = string.Join(' ', entities.Select(e => $"{e.Type},{e.Start},{e.End}"));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void PrefixOutsideTheSchemeThrows()
    {
        var e = Assert.Throws<MetricException>(() => StrictChunker.GetEntities([["B-PER", "E-PER"]], TaggingScheme.Iob2));
        Assert.Contains("E-PER", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AutoDetectFollowsThePrefixSet()
    {
        Assert.Equal(TaggingScheme.Iob2, StrictChunker.AutoDetect([["B-PER", "I-PER", "O"]]));
        Assert.Equal(TaggingScheme.Iobes, StrictChunker.AutoDetect([["B-PER", "E-PER", "S-LOC"]]));
        Assert.Equal(TaggingScheme.Bilou, StrictChunker.AutoDetect([["B-PER", "L-PER", "U-LOC", "O"]]));
        // seqeval's allowed sets contain {S} and {U} alone but not together with O, and nothing for O alone.
        Assert.Throws<MetricException>(() => StrictChunker.AutoDetect([["S-PER", "O"]]));
        Assert.Throws<MetricException>(() => StrictChunker.AutoDetect([["O", "O"]]));
    }
}
