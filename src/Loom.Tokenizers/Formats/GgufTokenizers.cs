// Builds a pipeline Tokenizer from a GGUF vocabulary (tokenizer.ggml.*), in the shape of the Hugging Face tokenizer
// the vocabulary was converted from by llama.cpp's convert_hf_to_gguf.py, so that encodings equal HF's
// (llama.cpp tests/test-tokenizer-0 vectors):
//   llama  SentencePiece-style pieces with scores: BPE whose merges are ranked by the merged piece's score (as
//          transformers' LlamaConverter), byte fallback when byte tokens exist, "▁" dummy prefix unless
//          add_space_prefix is false, spaces as "▁"; llama.cpp's SPM tokenizer merges by the same scores.
//   gpt2   byte-level BPE with the merges as stored, the pre-tokenizer named by tokenizer.ggml.pre (GgufPreTokenizers).
//   bert   WordPiece after undoing llama.cpp's token rewrite (convert_hf_to_gguf.py BertModel: "##x" was stored as
//          "x", a word-initial "x" as "▁x", "[...]" unchanged), BERT uncased normalizer and pre-tokenizer.
//   t5     Unigram (SentencePiece Viterbi) with the precompiled charsmap, as transformers' T5 converter.
// Control and unknown tokens become special added tokens and user-defined tokens plain added tokens, as in the HF
// tokenizer.json; BOS/EOS ([CLS]/[SEP] for bert) are added by a template when add_bos/add_eos say so, with
// llama.cpp's defaults when the flags are absent (llama and t5: BOS only / EOS only; bert: both; gpt2: none).
using Loom.Tokenizers.Decoders;
using Loom.Tokenizers.Models;
using Loom.Tokenizers.Normalizers;
using Loom.Tokenizers.PreTokenizers;
using Loom.Tokenizers.Processors;

namespace Loom.Tokenizers.Formats;

/// <summary>Tokenizers from GGUF vocabularies.</summary>
public static class GgufTokenizers
{
    private const string Metaspace = "\u2581";

    /// <summary>The <c>tokenizer.ggml.model</c> values <see cref="Create"/> accepts.</summary>
    public static readonly IReadOnlyList<string> SupportedModels = ["llama", "gpt2", "bert", "t5"];

    /// <summary>Loads the vocabulary of a .gguf file (a vocab-only file or a whole model; tensors are not read).</summary>
    /// <exception cref="TokenizerException">The file is malformed or its tokenizer type is not supported.</exception>
    public static Tokenizer Load(string path) => Create(GgufVocabulary.Load(path));

    /// <summary>Builds a <see cref="Tokenizer"/> from GGUF tokenizer metadata.</summary>
    /// <exception cref="TokenizerException">The tokenizer type or pre-tokenizer is not supported, or the vocabulary is inconsistent.</exception>
    public static Tokenizer Create(GgufVocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        return vocabulary.Model switch
        {
            "llama" => SentencePiece(vocabulary, modelType: 2),
            "t5" => SentencePiece(vocabulary, modelType: 1),
            "gpt2" => ByteLevelBpe(vocabulary),
            "bert" => WordPiece(vocabulary),
            var other => throw new TokenizerException(
                $"{vocabulary.Source}: tokenizer.ggml.model '{other}' is not supported; expected one of {string.Join(", ", SupportedModels)}."),
        };
    }

    private static Tokenizer SentencePiece(GgufVocabulary v, int modelType)
    {
        if (v.Scores is null)
        {
            throw new TokenizerException($"{v.Source}: a '{v.Model}' vocabulary needs tokenizer.ggml.scores, it is missing.");
        }

        var pieces = new List<(string, float, SentencePieceModel.PieceType)>(v.Tokens.Count);
        bool hasBytes = false;
        for (int i = 0; i < v.Tokens.Count; i++)
        {
            var type = v.TypeOf(i) is GgufTokenType.Undefined ? GgufTokenType.Normal : v.TypeOf(i);
            hasBytes |= type == GgufTokenType.Byte;
            pieces.Add((v.Tokens[i], v.Scores[i], (SentencePieceModel.PieceType)type));
        }

        bool unigram = modelType == 1;
        var spm = SentencePieceModel.FromPieces(pieces, modelType, v.UnkId ?? 0, byteFallback: hasBytes,
            addDummyPrefix: v.AddSpacePrefix ?? true, removeExtraWhitespaces: v.RemoveExtraWhitespaces ?? unigram, v.PrecompiledCharsmap);
        var tokenizer = SentencePieceTokenizers.Create(spm, sentencePieceDecoding: false);
        AddSpecialTokens(tokenizer, v);
        int? bos = (v.AddBos ?? !unigram) ? v.BosId ?? 1 : null;
        int? eos = (v.AddEos ?? unigram) ? v.EosId ?? 2 : null;
        tokenizer.PostProcessor = BosEosTemplate(tokenizer, bos, eos, v.Source);
        return tokenizer;
    }

    private static Tokenizer ByteLevelBpe(GgufVocabulary v)
    {
        var merges = v.Merges ?? throw new TokenizerException($"{v.Source}: a 'gpt2' vocabulary needs tokenizer.ggml.merges, it is missing.");
        var pairs = new List<(string, string)>(merges.Count);
        for (int i = 0; i < merges.Count; i++)
        {
            // llama.cpp splits at the first space after the first character (a merge's left side is never empty).
            int space = merges[i].Length > 1 ? merges[i].IndexOf(' ', 1) : -1;
            if (space < 0)
            {
                throw new TokenizerException($"{v.Source}: tokenizer.ggml.merges[{i}] = \"{merges[i]}\", expected \"left right\".");
            }

            pairs.Add((merges[i][..space], merges[i][(space + 1)..]));
        }

        var tokenizer = new Tokenizer(new BpeModel(IdsByToken(v.Tokens), pairs))
        {
            PreTokenizer = GgufPreTokenizers.Create(v.Pre, v.Source),
            Decoder = new ByteLevelDecoder(),
        };
        AddSpecialTokens(tokenizer, v);
        IPostProcessor byteLevel = new ByteLevelProcessor(addPrefixSpace: true, trimOffsets: false, useRegex: true);
        var template = BosEosTemplate(tokenizer, v.AddBos == true ? v.BosId : null, v.AddEos == true ? v.EosId : null, v.Source);
        tokenizer.PostProcessor = template is null ? byteLevel : new SequenceProcessor([byteLevel, template]);
        return tokenizer;
    }

    private static Tokenizer WordPiece(GgufVocabulary v)
    {
        var tokens = v.Tokens.Select(BertTokenFromGguf).ToList();
        int unk = v.UnkId ?? throw new TokenizerException($"{v.Source}: a 'bert' vocabulary needs tokenizer.ggml.unknown_token_id, it is missing.");
        var tokenizer = new Tokenizer(new WordPieceModel(IdsByToken(tokens), tokens[unk], "##", 100))
        {
            Normalizer = new BertNormalizer(cleanText: true, handleChineseChars: true, stripAccents: null, lowercase: true),
            PreTokenizer = new BertPreTokenizer(),
            Decoder = new WordPieceDecoder("##", true),
        };
        AddSpecialTokens(tokenizer, v, tokens);
        int? cls = v.ClsId ?? v.BosId, sep = v.SeparatorId ?? v.EosId;
        if (v.AddBos != false && v.AddEos != false && cls is { } c && sep is { } s)
        {
            var specials = new Dictionary<string, SpecialTokenEntry>
            {
                [tokens[c]] = new(tokens[c], [c], [tokens[c]]),
                [tokens[s]] = new(tokens[s], [s], [tokens[s]]),
            };
            tokenizer.PostProcessor = new TemplateProcessing(
                [new(false, 0, tokens[c], 0), new(true, 0, null, 0), new(false, 0, tokens[s], 0)],
                [new(false, 0, tokens[c], 0), new(true, 0, null, 0), new(false, 0, tokens[s], 0), new(true, 1, null, 1), new(false, 0, tokens[s], 1)],
                specials);
        }
        else
        {
            tokenizer.PostProcessor = BosEosTemplate(tokenizer, v.AddBos == true ? cls : null, v.AddEos == true ? sep : null, v.Source);
        }

        return tokenizer;
    }

    /// <summary>
    /// Undoes convert_hf_to_gguf.py's rewrite of a BERT vocabulary: "[...]" stays, "▁x" was the word-initial "x",
    /// any other "x" was the continuation "##x".
    /// </summary>
    public static string BertTokenFromGguf(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Length >= 2 && token[0] == '[' && token[^1] == ']')
        {
            return token;
        }

        return token.StartsWith(Metaspace, StringComparison.Ordinal) ? token[Metaspace.Length..] : "##" + token;
    }

    private static Dictionary<string, int> IdsByToken(IReadOnlyList<string> tokens)
    {
        var ids = new Dictionary<string, int>(tokens.Count, StringComparer.Ordinal);
        for (int i = 0; i < tokens.Count; i++)
        {
            ids.TryAdd(tokens[i], i);
        }

        return ids;
    }

    /// <summary>Control and unknown tokens as special added tokens, user-defined tokens as plain added tokens.</summary>
    private static void AddSpecialTokens(Tokenizer tokenizer, GgufVocabulary v, IReadOnlyList<string>? contents = null)
    {
        var added = new List<AddedToken>();
        for (int i = 0; i < v.Tokens.Count; i++)
        {
            string content = contents?[i] ?? v.Tokens[i];
            switch (v.TypeOf(i))
            {
                case GgufTokenType.Control or GgufTokenType.Unknown when content.Length > 0:
                    added.Add(new AddedToken(content, i, Special: true, Normalized: false));
                    break;
                case GgufTokenType.UserDefined when content.Length > 0 && v.Model != "llama" && v.Model != "t5":
                    // SentencePiece-style vocabularies get their user-defined pieces from SentencePieceTokenizers.
                    added.Add(new AddedToken(content, i, Special: false, Normalized: false));
                    break;
            }
        }

        tokenizer.AddTokens(added);
    }

    /// <summary>A template "BOS $A EOS" (pair: "BOS $A EOS BOS $B EOS") with whichever of the two is given; null when neither is.</summary>
    private static TemplateProcessing? BosEosTemplate(Tokenizer tokenizer, int? bos, int? eos, string source)
    {
        if (bos is null && eos is null)
        {
            return null;
        }

        var specials = new Dictionary<string, SpecialTokenEntry>();
        string? Name(int? id)
        {
            if (id is not { } i)
            {
                return null;
            }

            string token = tokenizer.IdToToken(i) ?? throw new TokenizerException($"{source}: special token id {i} is not in the vocabulary.");
            specials[token] = new SpecialTokenEntry(token, [i], [token]);
            return token;
        }

        string? bosName = Name(bos), eosName = Name(eos);
        List<TemplatePiece> Part(int sequence)
        {
            var part = new List<TemplatePiece>();
            if (bosName is not null)
            {
                part.Add(new(false, 0, bosName, sequence));
            }

            part.Add(new(true, sequence, null, sequence));
            if (eosName is not null)
            {
                part.Add(new(false, 0, eosName, sequence));
            }

            return part;
        }

        return new TemplateProcessing(Part(0), [.. Part(0), .. Part(1)], specials);
    }
}
