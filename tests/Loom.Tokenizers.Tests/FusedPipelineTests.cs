// The one-pass pipelines (FusedBertPipeline, FusedByteLevelPipeline) against the general normalizer → pre-tokenizer →
// model pipeline on the same tokenizer: ids, tokens, code-point offsets and word ids must be identical on tricky text
// (accents and combining marks, CJK and compatibility ideographs, Hangul, control characters, exotic whitespace,
// emoji, İ, lone surrogates, added tokens in the text, words longer than the reused buffers) and on random Unicode,
// for the real BERT vocabularies with every BertNormalizer flag combination and for the byte-level BPE of GPT-2 and
// RoBERTa.
using System.Text;
using Loom.Tokenizers.Normalizers;

namespace Loom.Tokenizers.Tests;

public class FusedPipelineTests
{
    private static readonly string[] Tricky =
    [
        "", " ", "Hello, World! It's 3.14 o'clock.", "Héllo Wörld — naïve café, SÃO PAULO", "e\u0301 a\u0300\u0323b o\u0308\u0304",
        "İstanbul İİ", "ǅungla Ǆ ﬁne Ⅷ \u212A \u2126", "ΆΈΉ ᾂᾷ ὒ", "中文，测试。汉字abc中def", "豈更 \uF900x", "한국어 텍스트",
        "a\u0000b\u0007c\td\r\ne\u000Bf\u001Fg\u007Fh", "x\uFFFDy\u200Bz\u200Dw\uFEFFv", "\u2000a\u3000b\u00A0c\u1680d\u0085e",
        "😀 emoji 👍🏽 family 👨‍👩‍👧 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𐐀𐐨", "ab\uD800cd \uDC00 \uD83D", "[CLS] in the text [SEP]", "<|endoftext|> and <s> or </s>", "it's they're  \t\n  spaced   out 123 4567 ", "«quoted» ¿qué? ¡sí! 「引用」",
        "ＡＢＣ ｆｕｌｌｗｉｄｔｈ １２３", "\u0E01\u0E31\u0E49 ไทย", "مرحبا بالعالم", new string('x', 150) + " " + string.Concat(Enumerable.Repeat("é", 120)),
        new string('x', 700) + " " + new string('汉', 300) + "😀" + string.Concat(Enumerable.Repeat("Ǆé😀", 200)),
    ];

    public static TheoryData<string> Names => new() { "bert-base-uncased", "bert-base-chinese", "gpt2", "roberta-base" };

    private static void AssertSameAsGeneralPipeline(Tokenizer tokenizer, string text)
    {
        var general = tokenizer.EncodeThroughPipeline(text, 0);
        var encoding = tokenizer.EncodeSingleSequence(text, 0);
        string shown = System.Text.Json.JsonSerializer.Serialize(text);
        Assert.True(general.Ids.SequenceEqual(encoding.Ids), $"ids differ on {shown}");
        Assert.True(general.Tokens.SequenceEqual(encoding.Tokens), $"tokens differ on {shown}");
        Assert.True(general.Offsets.SequenceEqual(encoding.Offsets), $"offsets differ on {shown}");
        Assert.True(general.WordIds.SequenceEqual(encoding.WordIds), $"word ids differ on {shown}");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void TrickyTextEncodesAsTheGeneralPipeline(string name)
    {
        var tokenizer = TestData.LoadTokenizer(name);
        foreach (var text in Tricky)
        {
            AssertSameAsGeneralPipeline(tokenizer, text);
        }
    }

    [Fact]
    public void EveryNormalizerFlagCombinationEncodesAsTheGeneralPipeline()
    {
        var tokenizer = TestData.LoadTokenizer("bert-base-uncased");
        var rng = new Random(31);
        for (int flags = 0; flags < 32; flags++)
        {
            bool cleanText = (flags & 1) != 0;
            bool? strip = (flags & 6) switch { 0 => null, 2 => true, 4 => false, _ => null };
            tokenizer.Normalizer = new BertNormalizer(cleanText, handleChineseChars: (flags & 8) != 0, strip, lowercase: (flags & 16) != 0);
            foreach (var text in Tricky)
            {
                // Without cleaning, the general lowercasing of a text holding İ cannot take a lone surrogate.
                if (cleanText || !text.Any(char.IsSurrogate) || !text.Contains('İ', StringComparison.Ordinal))
                {
                    AssertSameAsGeneralPipeline(tokenizer, text);
                }
            }

            for (int trial = 0; trial < 40; trial++)
            {
                AssertSameAsGeneralPipeline(tokenizer, RandomText(rng, rng.Next(1, 80), loneSurrogates: cleanText));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void RandomUnicodeEncodesAsTheGeneralPipeline(string name)
    {
        var tokenizer = TestData.LoadTokenizer(name);
        var rng = new Random(20261202);
        for (int trial = 0; trial < 300; trial++)
        {
            AssertSameAsGeneralPipeline(tokenizer, RandomText(rng, rng.Next(0, trial == 0 ? 3000 : 100), loneSurrogates: trial % 3 == 0));
        }
    }

    [Fact]
    public void TheBertPipelineIsOnePassForAccentsCjkAndEmojiButNotForReorderableMarks()
    {
        var tokenizer = TestData.LoadTokenizer("bert-base-uncased");
        var bert = (BertNormalizer)tokenizer.Normalizer!;
        var wordPiece = (Models.WordPieceModel)tokenizer.Model;
        bool Fused(string text) => FusedBertPipeline.TryEncode(text, bert, wordPiece, 0, out _);
        Assert.True(Fused("Héllo Wörld, 中文 😀 İ ᾂ 한국어"));
        Assert.True(Fused("e\u0301")); // a lone combining acute is a nonspacing mark: dropped wherever reordering puts it
        Assert.False(Fused("a\u302E")); // a spacing mark with a combining class: a non-starter NFD keeps and may reorder
        Assert.False(tokenizer.AddedVocabulary.MayMatch("no special tokens [CL S]", bert));
        Assert.True(tokenizer.AddedVocabulary.MayMatch("a [SEP] b", bert));
    }

    [Fact]
    public void TheByteLevelPipelineIsOnePassOnlyWithoutAPrefixSpace()
    {
        Assert.True(FusedByteLevelPipeline.Applies(new PreTokenizers.ByteLevelPreTokenizer()));
        Assert.False(FusedByteLevelPipeline.Applies(new PreTokenizers.ByteLevelPreTokenizer(addPrefixSpace: true)));
        Assert.False(FusedByteLevelPipeline.Applies(new PreTokenizers.ByteLevelPreTokenizer(useRegex: false)));
        var gpt2 = TestData.LoadTokenizer("gpt2");
        Assert.False(gpt2.AddedVocabulary.MayMatch("no special token <|endoftext|", null));
        Assert.True(gpt2.AddedVocabulary.MayMatch("a<|endoftext|>b", null));
    }

    private static readonly int[][] Ranges =
    [
        [0x20, 0x7E], [0x20, 0x7E], [0x00, 0x1F], [0xC0, 0x17F], [0x300, 0x36F], [0x370, 0x3FF], [0x1F00, 0x1FFF], [0x4E00, 0x9FFF],
        [0xF900, 0xFAFF], [0x1F300, 0x1FAFF], [0x20000, 0x2A6DF], [0xAC00, 0xD7A3], [0x2000, 0x206F], [0xFF00, 0xFFEF],
        [0x0E00, 0x0E7F], [0x10400, 0x1044F], [0x0F70, 0x0F84], [0x3000, 0x303F],
    ];

    private static string RandomText(Random rng, int length, bool loneSurrogates)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < length; i++)
        {
            if (loneSurrogates && rng.Next(40) == 0)
            {
                sb.Append((char)rng.Next(0xD800, 0xE000));
            }
            else if (rng.Next(6) == 0)
            {
                sb.Append(' ');
            }
            else
            {
                var r = Ranges[rng.Next(Ranges.Length)];
                sb.Append(char.ConvertFromUtf32(rng.Next(r[0], r[1] + 1)));
            }
        }

        return sb.ToString();
    }
}
