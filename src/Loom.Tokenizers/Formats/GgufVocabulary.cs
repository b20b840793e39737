// The tokenizer metadata of a llama.cpp GGUF file (ggml docs/gguf.md "Tokenizer" keys; llama.cpp llama-vocab.cpp
// load): tokenizer.ggml.model (llama = SentencePiece-style with scores, gpt2 = byte-level BPE with merges, bert =
// WordPiece, t5 = unigram), tokenizer.ggml.pre (the pre-tokenizer's name), the token strings, scores, types and
// merges, the special ids and the add_bos / add_eos / add_space_prefix flags. Key spellings are llama.cpp's,
// including "seperator_token_id". A special id outside the vocabulary counts as absent, as in llama.cpp (files
// write e.g. 4294967295 for "none").
namespace Loom.Tokenizers.Formats;

/// <summary>The <c>tokenizer.ggml.*</c> metadata of a GGUF file.</summary>
public sealed class GgufVocabulary
{
    private const string Prefix = "tokenizer.ggml.";
    private const string ArchitectureKey = "general.architecture";

    private GgufVocabulary(string source, string model, IReadOnlyList<string> tokens)
    {
        Source = source;
        Model = model;
        Tokens = tokens;
    }

    /// <summary>Path or stream name, for messages.</summary>
    public string Source { get; }

    /// <summary><c>general.architecture</c> (e.g. "llama", "bert"), when present.</summary>
    public string? Architecture { get; private init; }

    /// <summary><c>tokenizer.ggml.model</c>: "llama", "gpt2", "bert", "t5", ….</summary>
    public string Model { get; }

    /// <summary><c>tokenizer.ggml.pre</c>: the pre-tokenizer's name ("gpt-2", "falcon", "starcoder", …), when present.</summary>
    public string? Pre { get; private init; }

    /// <summary>The token strings; the index is the id.</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>Per-token scores (SentencePiece-style vocabularies).</summary>
    public IReadOnlyList<float>? Scores { get; private init; }

    /// <summary>Per-token types.</summary>
    public IReadOnlyList<GgufTokenType>? TokenTypes { get; private init; }

    /// <summary>BPE merges as "left right", in rank order.</summary>
    public IReadOnlyList<string>? Merges { get; private init; }

    /// <summary>Beginning-of-sequence id.</summary>
    public int? BosId { get; private init; }

    /// <summary>End-of-sequence id.</summary>
    public int? EosId { get; private init; }

    /// <summary>Unknown-token id.</summary>
    public int? UnkId { get; private init; }

    /// <summary>Separator id (BERT [SEP]).</summary>
    public int? SeparatorId { get; private init; }

    /// <summary>Padding id.</summary>
    public int? PaddingId { get; private init; }

    /// <summary>Classifier id (BERT [CLS]).</summary>
    public int? ClsId { get; private init; }

    /// <summary>Mask id (BERT [MASK]).</summary>
    public int? MaskId { get; private init; }

    /// <summary><c>add_bos_token</c>, when recorded.</summary>
    public bool? AddBos { get; private init; }

    /// <summary><c>add_eos_token</c>, when recorded.</summary>
    public bool? AddEos { get; private init; }

    /// <summary><c>add_space_prefix</c> (SentencePiece dummy prefix), when recorded.</summary>
    public bool? AddSpacePrefix { get; private init; }

    /// <summary><c>remove_extra_whitespaces</c> (SentencePiece normalizer), when recorded.</summary>
    public bool? RemoveExtraWhitespaces { get; private init; }

    /// <summary><c>precompiled_charsmap</c> (SentencePiece normalizer rules), when recorded.</summary>
    public byte[]? PrecompiledCharsmap { get; private init; }

    /// <summary>The type of token <paramref name="id"/> (<see cref="GgufTokenType.Normal"/> when no types are recorded).</summary>
    public GgufTokenType TypeOf(int id) => TokenTypes is { } types ? types[id] : GgufTokenType.Normal;

    /// <summary>Reads the tokenizer metadata of a GGUF file (tensors are not read).</summary>
    /// <exception cref="TokenizerException">The file is not GGUF v2/v3, is truncated, or has no usable vocabulary.</exception>
    public static GgufVocabulary Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(stream, path);
    }

    /// <summary>Reads the tokenizer metadata from a seekable stream positioned at the start of a GGUF file.</summary>
    /// <exception cref="TokenizerException">The data is not GGUF v2/v3, is truncated, or has no usable vocabulary.</exception>
    public static GgufVocabulary Read(Stream stream, string source = "gguf")
    {
        ArgumentNullException.ThrowIfNull(stream);
        var kv = GgufMetadataReader.Read(stream, source, key => key.StartsWith(Prefix, StringComparison.Ordinal) || key == ArchitectureKey);
        var values = new Values(kv, source);
        string model = values.String("model")
            ?? throw new TokenizerException($"{source}: expected tokenizer.ggml.model in the GGUF metadata, it is missing (the file holds no tokenizer).");
        string[] tokens = values.Array<string[]>("tokens")
            ?? throw new TokenizerException($"{source}: expected tokenizer.ggml.tokens in the GGUF metadata, it is missing.");
        if (tokens.Length == 0)
        {
            throw new TokenizerException($"{source}: expected at least one token in tokenizer.ggml.tokens, found none.");
        }

        float[]? scores = values.Array<float[]>("scores");
        if (scores is not null && scores.Length != tokens.Length)
        {
            throw new TokenizerException($"{source}: expected {tokens.Length} tokenizer.ggml.scores (one per token), found {scores.Length}.");
        }

        long[]? types = values.Array<long[]>("token_type");
        if (types is not null && types.Length != tokens.Length)
        {
            throw new TokenizerException($"{source}: expected {tokens.Length} tokenizer.ggml.token_type entries (one per token), found {types.Length}.");
        }

        return new GgufVocabulary(source, model, tokens)
        {
            Architecture = kv.TryGetValue(ArchitectureKey, out var arch) ? arch as string : null,
            Pre = values.String("pre"),
            Scores = scores,
            TokenTypes = types?.Select((t, i) => t is >= 0 and <= 6
                ? (GgufTokenType)t
                : throw new TokenizerException($"{source}: tokenizer.ggml.token_type[{i}] = {t}, expected 0..6.")).ToArray(),
            Merges = values.Array<string[]>("merges"),
            BosId = values.Id("bos_token_id", tokens.Length),
            EosId = values.Id("eos_token_id", tokens.Length),
            UnkId = values.Id("unknown_token_id", tokens.Length),
            SeparatorId = values.Id("seperator_token_id", tokens.Length),
            PaddingId = values.Id("padding_token_id", tokens.Length),
            ClsId = values.Id("cls_token_id", tokens.Length),
            MaskId = values.Id("mask_token_id", tokens.Length),
            AddBos = values.Bool("add_bos_token"),
            AddEos = values.Bool("add_eos_token"),
            AddSpacePrefix = values.Bool("add_space_prefix"),
            RemoveExtraWhitespaces = values.Bool("remove_extra_whitespaces"),
            PrecompiledCharsmap = values.Array<long[]>("precompiled_charsmap")?.Select(b => (byte)b).ToArray(),
        };
    }

    /// <summary>Typed access to tokenizer.ggml.* values with messages that name the key.</summary>
    private sealed class Values(Dictionary<string, object> kv, string source)
    {
        private object? Get(string name) => kv.TryGetValue(Prefix + name, out var v) ? v : null;

        public string? String(string name) => Get(name) switch
        {
            null => null,
            string s => s,
            var other => throw Wrong(name, "a string", other),
        };

        public bool? Bool(string name) => Get(name) switch
        {
            null => null,
            bool b => b,
            var other => throw Wrong(name, "a bool", other),
        };

        public T? Array<T>(string name)
            where T : class => Get(name) switch
            {
                null => null,
                T array => array,
                var other => throw Wrong(name, $"an array of {typeof(T).GetElementType()!.Name}", other),
            };

        public int? Id(string name, int vocabSize) => Get(name) switch
        {
            null => null,
            long id when id >= 0 && id < vocabSize => (int)id,
            long => null, // like llama.cpp: an id outside the vocabulary (e.g. u32 -1 for "none") means no such token
            var other => throw Wrong(name, "an integer id", other),
        };

        private TokenizerException Wrong(string name, string expected, object found) =>
            new($"{source}: tokenizer.ggml.{name}: expected {expected}, found {Describe(found)}.");

        private static string Describe(object value) => value switch
        {
            string => "a string",
            bool => "a bool",
            long => "an integer",
            double => "a float",
            System.Array a => $"an array of {a.GetType().GetElementType()!.Name}",
            _ => value.GetType().Name,
        };
    }
}
