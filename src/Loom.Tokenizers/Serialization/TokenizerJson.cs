// Reader for Hugging Face tokenizer.json files (the serde layout of huggingface/tokenizers: "normalizer",
// "pre_tokenizer", "model", "post_processor", "decoder", "added_tokens", "truncation", "padding").
using System.Text.Json;
using Loom.Tokenizers.Decoders;
using Loom.Tokenizers.Models;
using Loom.Tokenizers.Normalizers;
using Loom.Tokenizers.PreTokenizers;
using Loom.Tokenizers.Processors;

namespace Loom.Tokenizers.Serialization;

/// <summary>Loads a <see cref="Tokenizer"/> from a Hugging Face tokenizer.json.</summary>
public static class TokenizerJson
{
    /// <summary>Loads a tokenizer.json file.</summary>
    /// <exception cref="TokenizerException">The file is not valid JSON or uses an unknown component.</exception>
    public static Tokenizer Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            throw new TokenizerException($"Cannot read tokenizer file '{path}': {e.Message}", e);
        }

        return Parse(json, path);
    }

    /// <summary>Parses tokenizer.json text; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="TokenizerException">The text is not valid JSON or uses an unknown component.</exception>
    public static Tokenizer Parse(string json, string source = "tokenizer.json")
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new TokenizerException($"{source}: expected a JSON object, found invalid JSON ({e.Message}).", e);
        }

        using (doc)
        {
            try
            {
                return Build(doc.RootElement, source);
            }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new TokenizerException($"{source}: malformed tokenizer ({e.Message}).", e);
            }
        }
    }

    private static Tokenizer Build(JsonElement root, string source)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new TokenizerException($"{source}: expected a JSON object at the top level, found {root.ValueKind}.");
        }

        if (!root.TryGetProperty("model", out var modelJson) || modelJson.ValueKind != JsonValueKind.Object)
        {
            throw new TokenizerException($"{source}: expected a \"model\" object, found none.");
        }

        var tokenizer = new Tokenizer(ReadModel(modelJson, source))
        {
            Normalizer = Optional(root, "normalizer") is { } n ? ReadNormalizer(n, source) : null,
            PreTokenizer = Optional(root, "pre_tokenizer") is { } p ? ReadPreTokenizer(p, source) : null,
            PostProcessor = Optional(root, "post_processor") is { } pp ? ReadPostProcessor(pp, source) : null,
            Decoder = Optional(root, "decoder") is { } d ? ReadDecoder(d, source) : null,
            Truncation = Optional(root, "truncation") is { } t ? ReadTruncation(t) : null,
            Padding = Optional(root, "padding") is { } pad ? ReadPadding(pad) : null,
        };
        if (Optional(root, "added_tokens") is { } added)
        {
            tokenizer.AddTokens(added.EnumerateArray().Select(a => new AddedToken(
                a.GetProperty("content").GetString()!, a.GetProperty("id").GetInt32(), Bool(a, "special", false), Bool(a, "single_word", false),
                Bool(a, "lstrip", false), Bool(a, "rstrip", false), Bool(a, "normalized", true))).ToList());
        }

        return tokenizer;
    }

    private static JsonElement? Optional(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    private static bool Bool(JsonElement e, string name, bool fallback) =>
        e.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : fallback;

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int Int(JsonElement e, string name, int fallback) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : fallback;

    private static string TypeOf(JsonElement e) => Str(e, "type") ?? string.Empty;

    private static TokenizerException Unknown(string source, string kind, string type) =>
        new($"{source}: unknown {kind} type '{type}'.");

    private static Pattern ReadPattern(JsonElement e)
    {
        if (e.TryGetProperty("String", out var s))
        {
            return Pattern.Literal(s.GetString()!);
        }

        if (e.TryGetProperty("Regex", out var r))
        {
            return Pattern.FromRegex(r.GetString()!);
        }

        throw new TokenizerException($"Expected a pattern {{\"String\": ...}} or {{\"Regex\": ...}}, found {e.GetRawText()}.");
    }

    private static SplitDelimiterBehavior ReadBehavior(string? name) => name switch
    {
        "Removed" or "removed" => SplitDelimiterBehavior.Removed,
        "Isolated" or "isolated" or null => SplitDelimiterBehavior.Isolated,
        "MergedWithPrevious" or "merged_with_previous" => SplitDelimiterBehavior.MergedWithPrevious,
        "MergedWithNext" or "merged_with_next" => SplitDelimiterBehavior.MergedWithNext,
        "Contiguous" or "contiguous" => SplitDelimiterBehavior.Contiguous,
        _ => throw new TokenizerException($"Unknown split behavior '{name}' (expected Removed, Isolated, MergedWithPrevious, MergedWithNext or Contiguous)."),
    };

    private static INormalizer ReadNormalizer(JsonElement e, string source)
    {
        string type = TypeOf(e);
        return type switch
        {
            "BertNormalizer" => new BertNormalizer(Bool(e, "clean_text", true), Bool(e, "handle_chinese_chars", true),
                e.TryGetProperty("strip_accents", out var sa) && sa.ValueKind is JsonValueKind.True or JsonValueKind.False ? sa.GetBoolean() : null,
                Bool(e, "lowercase", true)),
            "Sequence" => new SequenceNormalizer(e.GetProperty("normalizers").EnumerateArray().Select(x => ReadNormalizer(x, source)).ToList()),
            "Prepend" => new PrependNormalizer(Str(e, "prepend") ?? string.Empty),
            "Replace" => new ReplaceNormalizer(ReadPattern(e.GetProperty("pattern")), Str(e, "content") ?? string.Empty),
            "Precompiled" => Optional(e, "precompiled_charsmap") is { } cm
                ? new PrecompiledNormalizer(Convert.FromBase64String(cm.GetString()!))
                : new SequenceNormalizer([]),
            "NFC" => new UnicodeNormalizer(NormalizationForm.Nfc),
            "NFD" => new UnicodeNormalizer(NormalizationForm.Nfd),
            "NFKC" => new UnicodeNormalizer(NormalizationForm.Nfkc),
            "NFKD" => new UnicodeNormalizer(NormalizationForm.Nfkd),
            "Lowercase" => new LowercaseNormalizer(),
            "Strip" => new StripNormalizer(Bool(e, "strip_left", true), Bool(e, "strip_right", true)),
            "StripAccents" => new StripAccentsNormalizer(),
            _ => throw Unknown(source, "normalizer", type),
        };
    }

    private static PrependScheme ReadPrependScheme(JsonElement e)
    {
        if (Str(e, "prepend_scheme") is { } scheme)
        {
            return scheme switch
            {
                "always" => PrependScheme.Always,
                "first" => PrependScheme.First,
                "never" => PrependScheme.Never,
                _ => throw new TokenizerException($"Metaspace: unknown prepend_scheme '{scheme}' (expected always, first or never)."),
            };
        }

        return Bool(e, "add_prefix_space", true) ? PrependScheme.Always : PrependScheme.Never;
    }

    private static char ReadReplacement(JsonElement e)
    {
        string rep = Str(e, "replacement") ?? "\u2581";
        return rep.Length == 1 ? rep[0] : throw new TokenizerException($"Metaspace: expected a one-character replacement, found '{rep}'.");
    }

    private static IPreTokenizer ReadPreTokenizer(JsonElement e, string source)
    {
        string type = TypeOf(e);
        return type switch
        {
            "BertPreTokenizer" => new BertPreTokenizer(),
            "ByteLevel" => new ByteLevelPreTokenizer(Bool(e, "add_prefix_space", true), Bool(e, "trim_offsets", true), Bool(e, "use_regex", true)),
            "WhitespaceSplit" => new WhitespaceSplitPreTokenizer(),
            "Whitespace" => new WhitespacePreTokenizer(),
            "Metaspace" => new MetaspacePreTokenizer(ReadReplacement(e), ReadPrependScheme(e), Bool(e, "split", true)),
            "Sequence" => new SequencePreTokenizer(e.GetProperty("pretokenizers").EnumerateArray().Select(x => ReadPreTokenizer(x, source)).ToList()),
            "Punctuation" => new PunctuationPreTokenizer(ReadBehavior(Str(e, "behavior"))),
            "Digits" => new DigitsPreTokenizer(Bool(e, "individual_digits", false)),
            "Split" => new SplitPreTokenizer(ReadPattern(e.GetProperty("pattern")), ReadBehavior(Str(e, "behavior")), Bool(e, "invert", false)),
            "CharDelimiterSplit" => new CharDelimiterSplitPreTokenizer(char.ConvertToUtf32(Str(e, "delimiter")!, 0)),
            _ => throw Unknown(source, "pre_tokenizer", type),
        };
    }

    private static Dictionary<string, int> ReadVocab(JsonElement e, string source)
    {
        if (!e.TryGetProperty("vocab", out var v) || v.ValueKind != JsonValueKind.Object)
        {
            throw new TokenizerException($"{source}: expected model.vocab to be an object of token → id.");
        }

        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var p in v.EnumerateObject())
        {
            vocab[p.Name] = p.Value.GetInt32();
        }

        return vocab;
    }

    private static ITokenizerModel ReadModel(JsonElement e, string source)
    {
        string type = TypeOf(e);
        if (type.Length == 0)
        {
            type = e.TryGetProperty("merges", out _) ? "BPE"
                : e.TryGetProperty("vocab", out var v) && v.ValueKind == JsonValueKind.Array ? "Unigram"
                : e.TryGetProperty("max_input_chars_per_word", out _) ? "WordPiece"
                : "WordLevel";
        }

        switch (type)
        {
            case "BPE":
                {
                    var merges = new List<(string, string)>();
                    foreach (var m in e.GetProperty("merges").EnumerateArray())
                    {
                        if (m.ValueKind == JsonValueKind.String)
                        {
                            string s = m.GetString()!;
                            int sp = s.IndexOf(' ', StringComparison.Ordinal);
                            if (sp < 0)
                            {
                                throw new TokenizerException($"{source}: BPE merge #{merges.Count} '{s}': expected two tokens separated by a space.");
                            }

                            merges.Add((s[..sp], s[(sp + 1)..]));
                        }
                        else
                        {
                            var parts = m.EnumerateArray().Select(x => x.GetString()!).ToArray();
                            if (parts.Length != 2)
                            {
                                throw new TokenizerException($"{source}: BPE merge #{merges.Count}: expected a pair, found {parts.Length} items.");
                            }

                            merges.Add((parts[0], parts[1]));
                        }
                    }

                    var options = new BpeOptions
                    {
                        Dropout = e.TryGetProperty("dropout", out var dr) && dr.ValueKind == JsonValueKind.Number ? dr.GetDouble() : null,
                        UnkToken = Str(e, "unk_token"),
                        ContinuingSubwordPrefix = Str(e, "continuing_subword_prefix"),
                        EndOfWordSuffix = Str(e, "end_of_word_suffix"),
                        FuseUnk = Bool(e, "fuse_unk", false),
                        ByteFallback = Bool(e, "byte_fallback", false),
                        IgnoreMerges = Bool(e, "ignore_merges", false),
                    };
                    return new BpeModel(ReadVocab(e, source), merges, options);
                }

            case "WordPiece":
                return new WordPieceModel(ReadVocab(e, source), Str(e, "unk_token") ?? "[UNK]", Str(e, "continuing_subword_prefix") ?? "##",
                    Int(e, "max_input_chars_per_word", 100));
            case "WordLevel":
                return new WordLevelModel(ReadVocab(e, source), Str(e, "unk_token") ?? "<unk>");
            case "Unigram":
                {
                    var pieces = e.GetProperty("vocab").EnumerateArray()
                        .Select(p => (p[0].GetString()!, p[1].GetDouble())).ToList();
                    int? unk = e.TryGetProperty("unk_id", out var u) && u.ValueKind == JsonValueKind.Number ? u.GetInt32() : null;
                    return new UnigramModel(pieces, unk, Bool(e, "byte_fallback", false));
                }

            default:
                throw Unknown(source, "model", type);
        }
    }

    private static List<TemplatePiece> ReadTemplate(JsonElement e) => e.EnumerateArray().Select(p =>
    {
        if (p.TryGetProperty("Sequence", out var s))
        {
            return new TemplatePiece(true, s.GetProperty("id").GetString() == "B" ? 1 : 0, null, Int(s, "type_id", 0));
        }

        var t = p.GetProperty("SpecialToken");
        return new TemplatePiece(false, 0, t.GetProperty("id").GetString(), Int(t, "type_id", 0));
    }).ToList();

    private static (string, int) ReadTokenPair(JsonElement e) => (e[0].GetString()!, e[1].GetInt32());

    private static IPostProcessor ReadPostProcessor(JsonElement e, string source)
    {
        string type = TypeOf(e);
        switch (type)
        {
            case "TemplateProcessing":
                var specials = new Dictionary<string, SpecialTokenEntry>(StringComparer.Ordinal);
                foreach (var p in e.GetProperty("special_tokens").EnumerateObject())
                {
                    specials[p.Name] = new SpecialTokenEntry(p.Value.GetProperty("id").GetString()!,
                        p.Value.GetProperty("ids").EnumerateArray().Select(x => x.GetInt32()).ToList(),
                        p.Value.GetProperty("tokens").EnumerateArray().Select(x => x.GetString()!).ToList());
                }

                return new TemplateProcessing(ReadTemplate(e.GetProperty("single")), ReadTemplate(e.GetProperty("pair")), specials);
            case "ByteLevel":
                return new ByteLevelProcessor(Bool(e, "add_prefix_space", true), Bool(e, "trim_offsets", true), Bool(e, "use_regex", true));
            case "RobertaProcessing":
                return new RobertaProcessing(ReadTokenPair(e.GetProperty("sep")), ReadTokenPair(e.GetProperty("cls")), Bool(e, "trim_offsets", true),
                    Bool(e, "add_prefix_space", true));
            case "BertProcessing":
                return RobertaProcessing.Bert(ReadTokenPair(e.GetProperty("sep")), ReadTokenPair(e.GetProperty("cls")));
            case "Sequence":
                return new SequenceProcessor(e.GetProperty("processors").EnumerateArray().Select(x => ReadPostProcessor(x, source)).ToList());
            default:
                throw Unknown(source, "post_processor", type);
        }
    }

    private static IDecoder ReadDecoder(JsonElement e, string source)
    {
        string type = TypeOf(e);
        return type switch
        {
            "WordPiece" => new WordPieceDecoder(Str(e, "prefix") ?? "##", Bool(e, "cleanup", true)),
            "ByteLevel" => new ByteLevelDecoder(Bool(e, "add_prefix_space", true), Bool(e, "trim_offsets", true), Bool(e, "use_regex", true)),
            "Metaspace" => new MetaspaceDecoder(ReadReplacement(e), ReadPrependScheme(e) != PrependScheme.Never),
            "Sequence" => new SequenceDecoder(e.GetProperty("decoders").EnumerateArray().Select(x => ReadDecoder(x, source)).ToList()),
            "Replace" => new ReplaceDecoder(ReadPattern(e.GetProperty("pattern")), Str(e, "content") ?? string.Empty),
            "ByteFallback" => new ByteFallbackDecoder(),
            "Fuse" => new FuseDecoder(),
            "Strip" => new StripDecoder((Str(e, "content") ?? " ")[0], Int(e, "start", 0), Int(e, "stop", 0)),
            "BPEDecoder" => new BpeDecoder(Str(e, "suffix") ?? "</w>"),
            "CTC" => new CtcDecoder(Str(e, "pad_token") ?? "<pad>", Str(e, "word_delimiter_token") ?? "|", Bool(e, "cleanup", true)),
            _ => throw Unknown(source, "decoder", type),
        };
    }

    private static TruncationOptions ReadTruncation(JsonElement e) => new(
        Int(e, "max_length", 512),
        Str(e, "strategy") switch
        {
            "OnlyFirst" => TruncationStrategy.OnlyFirst,
            "OnlySecond" => TruncationStrategy.OnlySecond,
            _ => TruncationStrategy.LongestFirst,
        },
        Int(e, "stride", 0),
        Str(e, "direction") == "Left" ? TruncationDirection.Left : TruncationDirection.Right);

    private static PaddingOptions ReadPadding(JsonElement e)
    {
        var strategy = e.GetProperty("strategy");
        bool isFixed = strategy.ValueKind == JsonValueKind.Object && strategy.TryGetProperty("Fixed", out _);
        return new PaddingOptions
        {
            Strategy = isFixed ? PaddingStrategy.Fixed : PaddingStrategy.BatchLongest,
            FixedLength = isFixed ? strategy.GetProperty("Fixed").GetInt32() : 0,
            Direction = Str(e, "direction") == "Left" ? TruncationDirection.Left : TruncationDirection.Right,
            PadToMultipleOf = e.TryGetProperty("pad_to_multiple_of", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt32() : null,
            PadId = Int(e, "pad_id", 0),
            PadTypeId = Int(e, "pad_type_id", 0),
            PadToken = Str(e, "pad_token") ?? "[PAD]",
        };
    }
}
