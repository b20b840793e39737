using Loom.Training.Objectives;

namespace Loom.Training.Tests.Objectives;

public sealed class WordSegmenterTests
{
    [Fact]
    public void WordPieceContinuations()
    {
        Assert.Equal([true, true, false, false, true], new WordPieceSegmenter().WordStarts(["[CLS]", "un", "##aff", "##able", "[SEP]"]));
    }

    [Fact]
    public void DictionaryForwardMaximumMatching()
    {
        var segmenter = new DictionarySegmenter(["北京", "北京大学", "大学", "中国", "首都"]);
        string[] tokens = ["[CLS]", "北", "京", "大", "学", "是", "中", "国", "的", "hello", "##s", "首", "都", "[SEP]"];
        // 北京大学 | 是 | 中国 | 的 | hello##s | 首都
        Assert.Equal([true, true, false, false, false, true, true, false, true, true, false, true, false, true], segmenter.WordStarts(tokens));
    }

    [Fact]
    public void CharacterNGramsCutChineseRuns()
    {
        var segmenter = new CharacterNGramSegmenter(2);
        string[] tokens = ["[CLS]", "外", "卖", "很", "快", "好", "ok", "吃", "𠀀", "[SEP]"];
        Assert.Equal([true, true, false, true, false, true, true, true, false, true], segmenter.WordStarts(tokens));
    }

    [Fact]
    public void ChineseWholeWordMaskingMasksDictionaryWords()
    {
        string[] vocab = ["[PAD]", "[CLS]", "[SEP]", "[MASK]", "北", "京", "大", "学", "是", "中", "国", "的"];
        var segmenter = new DictionarySegmenter(["北京大学", "中国"]);
        var collator = new MaskedLmCollator(vocab.Length, 3, 0, [1, 2, 3], new Loom.Core.Generator(3), maskProbability: 0.3,
            segmenter: segmenter, idToToken: id => vocab[id]);
        int[] sequence = [1, 4, 5, 6, 7, 8, 9, 10, 11, 9, 10, 2];
        for (var trial = 0; trial < 50; trial++)
        {
            var labels = collator.Collate([sequence]).Labels!.ToArray();
            var masked = labels.Select(l => l != TrainingBatch.IgnoreIndex).ToArray();
            // budget round(10 · 0.3) = 3: 北京大学 (4) never fits; 中国 (2) + one single character, or 是 + 的
            Assert.False(masked[1] || masked[2] || masked[3] || masked[4]);
            Assert.Equal(masked[6], masked[7]);
            Assert.Equal(masked[9], masked[10]);
            Assert.InRange(masked.Count(m => m), 2, 3);
        }
    }
}
