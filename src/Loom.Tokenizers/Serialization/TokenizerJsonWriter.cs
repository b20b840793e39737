// Writes a Tokenizer as Hugging Face tokenizer.json, field for field in the serde order of huggingface/tokenizers
// (so that pretty output equals Tokenizer::save(pretty=true) byte for byte for the same components).
using System.Text.Json.Nodes;
using Loom.Tokenizers.Decoders;
using Loom.Tokenizers.Models;
using Loom.Tokenizers.Normalizers;
using Loom.Tokenizers.PreTokenizers;
using Loom.Tokenizers.Processors;

namespace Loom.Tokenizers.Serialization;

/// <summary>Serializes a <see cref="Tokenizer"/> to tokenizer.json.</summary>
public static class TokenizerJsonWriter
{
    /// <summary>The tokenizer.json text (pretty: serde_json's pretty layout).</summary>
    /// <exception cref="TokenizerException">A component has no tokenizer.json form.</exception>
    public static string ToJson(Tokenizer tokenizer, bool pretty = true)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = tokenizer.Truncation is { } t ? new JsonObject
            {
                ["direction"] = t.Direction == TruncationDirection.Left ? "Left" : "Right",
                ["max_length"] = t.MaxLength,
                ["strategy"] = t.Strategy switch { TruncationStrategy.OnlyFirst => "OnlyFirst", TruncationStrategy.OnlySecond => "OnlySecond", _ => "LongestFirst" },
                ["stride"] = t.Stride,
            } : null,
            ["padding"] = tokenizer.Padding is { } p ? new JsonObject
            {
                ["strategy"] = p.Strategy == PaddingStrategy.Fixed ? new JsonObject { ["Fixed"] = p.FixedLength } : "BatchLongest",
                ["direction"] = p.Direction == TruncationDirection.Left ? "Left" : "Right",
                ["pad_to_multiple_of"] = p.PadToMultipleOf,
                ["pad_id"] = p.PadId,
                ["pad_type_id"] = p.PadTypeId,
                ["pad_token"] = p.PadToken,
            } : null,
            ["added_tokens"] = new JsonArray([.. tokenizer.AddedVocabulary.Tokens.OrderBy(a => a.Id).Select(a => (JsonNode)new JsonObject
            {
                ["id"] = a.Id,
                ["content"] = a.Content,
                ["single_word"] = a.SingleWord,
                ["lstrip"] = a.LStrip,
                ["rstrip"] = a.RStrip,
                ["normalized"] = a.Normalized,
                ["special"] = a.Special,
            })]),
            ["normalizer"] = tokenizer.Normalizer is null ? null : Normalizer(tokenizer.Normalizer),
            ["pre_tokenizer"] = tokenizer.PreTokenizer is null ? null : PreTokenizer(tokenizer.PreTokenizer),
            ["post_processor"] = tokenizer.PostProcessor is null ? null : PostProcessor(tokenizer.PostProcessor),
            ["decoder"] = tokenizer.Decoder is null ? null : Decoder(tokenizer.Decoder),
            ["model"] = Model(tokenizer.Model),
        };
        return SerdeJsonWriter.Write(root, pretty);
    }

    /// <summary>Writes tokenizer.json to a file.</summary>
    public static void Save(Tokenizer tokenizer, string path, bool pretty = true) => File.WriteAllText(path, ToJson(tokenizer, pretty));

    private static TokenizerException Unsupported(object component) => new($"tokenizer.json: no serialized form for {component.GetType().Name}.");

    private static JsonObject Pattern(Pattern p) => p.LiteralText is { } s ? new JsonObject { ["String"] = s } : new JsonObject { ["Regex"] = p.RegexText };

    private static string Behavior(SplitDelimiterBehavior b) => b.ToString();

    private static JsonObject Typed(string type) => new() { ["type"] = type };

    private static JsonNode Normalizer(INormalizer n) => n switch
    {
        BertNormalizer b => new JsonObject
        {
            ["type"] = "BertNormalizer",
            ["clean_text"] = b.CleanText,
            ["handle_chinese_chars"] = b.HandleChineseChars,
            ["strip_accents"] = b.StripAccents,
            ["lowercase"] = b.Lowercase,
        },
        SequenceNormalizer s => new JsonObject { ["type"] = "Sequence", ["normalizers"] = new JsonArray([.. s.Normalizers.Select(Normalizer)]) },
        PrependNormalizer p => new JsonObject { ["type"] = "Prepend", ["prepend"] = p.Prepend },
        ReplaceNormalizer r => new JsonObject { ["type"] = "Replace", ["pattern"] = Pattern(r.Pattern), ["content"] = r.Content },
        PrecompiledNormalizer pc => new JsonObject { ["type"] = "Precompiled", ["precompiled_charsmap"] = Convert.ToBase64String(pc.Charsmap) },
        UnicodeNormalizer u => Typed(u.Form.ToString().ToUpperInvariant()),
        LowercaseNormalizer => Typed("Lowercase"),
        StripAccentsNormalizer => Typed("StripAccents"),
        StripNormalizer st => new JsonObject { ["type"] = "Strip", ["strip_left"] = st.Left, ["strip_right"] = st.Right },
        _ => throw Unsupported(n),
    };

    private static JsonNode PreTokenizer(IPreTokenizer p) => p switch
    {
        BertPreTokenizer => Typed("BertPreTokenizer"),
        ByteLevelPreTokenizer b => new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = b.AddPrefixSpace, ["trim_offsets"] = b.TrimOffsets, ["use_regex"] = b.UseRegex },
        WhitespaceSplitPreTokenizer => Typed("WhitespaceSplit"),
        WhitespacePreTokenizer => Typed("Whitespace"),
        MetaspacePreTokenizer m => new JsonObject
        {
            ["type"] = "Metaspace",
            ["replacement"] = m.Replacement.ToString(),
            ["prepend_scheme"] = m.PrependScheme.ToString().ToLowerInvariant(),
            ["split"] = m.SplitOnReplacement,
        },
        SequencePreTokenizer s => new JsonObject { ["type"] = "Sequence", ["pretokenizers"] = new JsonArray([.. s.PreTokenizers.Select(PreTokenizer)]) },
        PunctuationPreTokenizer pu => new JsonObject { ["type"] = "Punctuation", ["behavior"] = Behavior(pu.Behavior) },
        DigitsPreTokenizer d => new JsonObject { ["type"] = "Digits", ["individual_digits"] = d.IndividualDigits },
        SplitPreTokenizer sp => new JsonObject { ["type"] = "Split", ["pattern"] = Pattern(sp.Pattern), ["behavior"] = Behavior(sp.Behavior), ["invert"] = sp.Invert },
        CharDelimiterSplitPreTokenizer c => new JsonObject { ["type"] = "CharDelimiterSplit", ["delimiter"] = char.ConvertFromUtf32(c.Delimiter) },
        _ => throw Unsupported(p),
    };

    private static JsonObject Vocab(IReadOnlyDictionary<string, int> vocab)
    {
        var o = new JsonObject();
        foreach (var (token, id) in vocab.OrderBy(kv => kv.Value))
        {
            o[token] = id;
        }

        return o;
    }

    private static JsonNode Model(ITokenizerModel m) => m switch
    {
        BpeModel b => new JsonObject
        {
            ["type"] = "BPE",
            ["dropout"] = b.Options.Dropout,
            ["unk_token"] = b.Options.UnkToken,
            ["continuing_subword_prefix"] = b.Options.ContinuingSubwordPrefix,
            ["end_of_word_suffix"] = b.Options.EndOfWordSuffix,
            ["fuse_unk"] = b.Options.FuseUnk,
            ["byte_fallback"] = b.Options.ByteFallback,
            ["ignore_merges"] = b.Options.IgnoreMerges,
            ["vocab"] = Vocab(b.Vocab),
            ["merges"] = new JsonArray([.. b.Merges.Select(x => (JsonNode)new JsonArray(x.Left, x.Right))]),
        },
        WordPieceModel w => new JsonObject
        {
            ["type"] = "WordPiece",
            ["unk_token"] = w.UnkToken,
            ["continuing_subword_prefix"] = w.ContinuingSubwordPrefix,
            ["max_input_chars_per_word"] = w.MaxInputCharsPerWord,
            ["vocab"] = Vocab(w.Vocab),
        },
        WordLevelModel wl => new JsonObject { ["type"] = "WordLevel", ["vocab"] = Vocab(wl.Vocab), ["unk_token"] = wl.UnkToken },
        UnigramModel u => new JsonObject
        {
            ["type"] = "Unigram",
            ["unk_id"] = u.UnkId,
            ["vocab"] = new JsonArray([.. u.Pieces.Select(x => (JsonNode)new JsonArray(x.Piece, x.Score))]),
            ["byte_fallback"] = u.ByteFallback,
        },
        _ => throw Unsupported(m),
    };

    private static JsonArray Template(IReadOnlyList<TemplatePiece> pieces) => new([.. pieces.Select(p => (JsonNode)(p.IsSequence
        ? new JsonObject { ["Sequence"] = new JsonObject { ["id"] = p.SequenceIndex == 0 ? "A" : "B", ["type_id"] = p.TypeId } }
        : new JsonObject { ["SpecialToken"] = new JsonObject { ["id"] = p.SpecialToken, ["type_id"] = p.TypeId } }))]);

    private static JsonNode PostProcessor(IPostProcessor p)
    {
        switch (p)
        {
            case TemplateProcessing t:
                var specials = new JsonObject();
                foreach (var (name, entry) in t.SpecialTokens.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    specials[name] = new JsonObject
                    {
                        ["id"] = entry.Name,
                        ["ids"] = new JsonArray([.. entry.Ids.Select(x => (JsonNode)x)]),
                        ["tokens"] = new JsonArray([.. entry.Tokens.Select(x => (JsonNode)x)]),
                    };
                }

                return new JsonObject { ["type"] = "TemplateProcessing", ["single"] = Template(t.Single), ["pair"] = Template(t.Pair), ["special_tokens"] = specials };
            case ByteLevelProcessor b:
                return new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = b.AddPrefixSpace, ["trim_offsets"] = b.TrimOffsets, ["use_regex"] = b.UseRegex };
            case RobertaProcessing r when r.IsBert:
                return new JsonObject { ["type"] = "BertProcessing", ["sep"] = new JsonArray(r.Sep.Token, r.Sep.Id), ["cls"] = new JsonArray(r.Cls.Token, r.Cls.Id) };
            case RobertaProcessing r:
                return new JsonObject
                {
                    ["type"] = "RobertaProcessing",
                    ["sep"] = new JsonArray(r.Sep.Token, r.Sep.Id),
                    ["cls"] = new JsonArray(r.Cls.Token, r.Cls.Id),
                    ["trim_offsets"] = r.TrimOffsets,
                    ["add_prefix_space"] = r.AddPrefixSpace,
                };
            case SequenceProcessor s:
                return new JsonObject { ["type"] = "Sequence", ["processors"] = new JsonArray([.. s.Processors.Select(PostProcessor)]) };
            default:
                throw Unsupported(p);
        }
    }

    private static JsonNode Decoder(IDecoder d) => d switch
    {
        ByteLevelDecoder b => new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = b.AddPrefixSpace, ["trim_offsets"] = b.TrimOffsets, ["use_regex"] = b.UseRegex },
        WordPieceDecoder w => new JsonObject { ["type"] = "WordPiece", ["prefix"] = w.Prefix, ["cleanup"] = w.Cleanup },
        MetaspaceDecoder m => new JsonObject { ["type"] = "Metaspace", ["replacement"] = m.Replacement.ToString(), ["prepend_scheme"] = m.Prepended ? "always" : "never", ["split"] = true },
        ReplaceDecoder r => new JsonObject { ["type"] = "Replace", ["pattern"] = Pattern(r.Pattern), ["content"] = r.Content },
        ByteFallbackDecoder => Typed("ByteFallback"),
        FuseDecoder => Typed("Fuse"),
        StripDecoder s => new JsonObject { ["type"] = "Strip", ["content"] = s.Content.ToString(), ["start"] = s.Start, ["stop"] = s.Stop },
        BpeDecoder b => new JsonObject { ["type"] = "BPEDecoder", ["suffix"] = b.Suffix },
        CtcDecoder c => new JsonObject { ["type"] = "CTC", ["pad_token"] = c.PadToken, ["word_delimiter_token"] = c.WordDelimiterToken, ["cleanup"] = c.Cleanup },
        SequenceDecoder s => new JsonObject { ["type"] = "Sequence", ["decoders"] = new JsonArray([.. s.Decoders.Select(Decoder)]) },
        _ => throw Unsupported(d),
    };
}
