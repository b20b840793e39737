// The tokenization pipeline of Hugging Face tokenizers (tokenizers/src/tokenizer/mod.rs: encode_single_sequence,
// post_process, encode_batch, decode): added tokens → normalizer → pre-tokenizer → model → truncation →
// post-processor → padding, with offsets carried back to the original text and reported in code points.
using Loom.Tokenizers.Decoders;
using Loom.Tokenizers.Models;
using Loom.Tokenizers.Normalizers;
using Loom.Tokenizers.PreTokenizers;
using Loom.Tokenizers.Processors;

namespace Loom.Tokenizers;

/// <summary>A complete tokenizer: normalizer, pre-tokenizer, model, post-processor, decoder, added tokens, truncation and padding.</summary>
public sealed class Tokenizer
{
    private INormalizer? _normalizer;

    /// <summary>Creates a tokenizer around a model.</summary>
    public Tokenizer(ITokenizerModel model)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
    }

    /// <summary>The model.</summary>
    public ITokenizerModel Model { get; }

    /// <summary>The normalizer (null: none).</summary>
    public INormalizer? Normalizer
    {
        get => _normalizer;
        set
        {
            _normalizer = value;
            AddedVocabulary.Refresh(value);
        }
    }

    /// <summary>The pre-tokenizer (null: the whole text is one word).</summary>
    public IPreTokenizer? PreTokenizer { get; set; }

    /// <summary>The post-processor (null: sequences are concatenated).</summary>
    public IPostProcessor? PostProcessor { get; set; }

    /// <summary>The decoder (null: tokens joined with spaces).</summary>
    public IDecoder? Decoder { get; set; }

    /// <summary>Added and special tokens.</summary>
    public AddedVocabulary AddedVocabulary { get; } = new();

    /// <summary>Truncation settings (null: off).</summary>
    public TruncationOptions? Truncation { get; set; }

    /// <summary>Padding settings (null: off).</summary>
    public PaddingOptions? Padding { get; set; }

    /// <summary>Adds tokens to the added vocabulary.</summary>
    public void AddTokens(IEnumerable<AddedToken> tokens) => AddedVocabulary.Add(tokens, _normalizer);

    /// <summary>Vocabulary size, with or without the added tokens.</summary>
    public int GetVocabSize(bool withAddedTokens = true)
    {
        if (!withAddedTokens)
        {
            return Model.VocabSize;
        }

        int extra = AddedVocabulary.Tokens.Count(t => Model.TokenToId(t.Content) is null);
        return Model.VocabSize + extra;
    }

    /// <summary>The id of a token (added tokens first).</summary>
    public int? TokenToId(string token) => AddedVocabulary.IdOf(token) ?? Model.TokenToId(token);

    /// <summary>The token of an id (added tokens first).</summary>
    public string? IdToToken(int id) => AddedVocabulary.ById(id)?.Content ?? Model.IdToToken(id);

    /// <summary>Encodes one sequence without post-processing: tokens, offsets (code points), word ids, type id.</summary>
    public Encoding EncodeSingleSequence(string text, int typeId)
    {
        ArgumentNullException.ThrowIfNull(text);
        // One-pass forms of the usual BERT and GPT-2 pipelines, when no added token can occur in the text.
        if (_normalizer is BertNormalizer bert && PreTokenizer is BertPreTokenizer && Model is WordPieceModel wordPiece
            && !AddedVocabulary.MayMatch(text, bert) && FusedBertPipeline.TryEncode(text, bert, wordPiece, typeId, out var fused))
        {
            return fused;
        }

        if (_normalizer is null && PreTokenizer is ByteLevelPreTokenizer byteLevel && FusedByteLevelPipeline.Applies(byteLevel)
            && Model is BpeModel bpe && !AddedVocabulary.MayMatch(text, null))
        {
            return FusedByteLevelPipeline.Encode(text, bpe, typeId);
        }

        return EncodeThroughPipeline(text, typeId);
    }

    /// <summary>The general pipeline (every normalizer, pre-tokenizer and model) for one sequence.</summary>
    internal Encoding EncodeThroughPipeline(string text, int typeId, SubwordSampling? sampling = null)
    {
        var pre = new PreTokenizedString(text);
        AddedVocabulary.ExtractAndNormalize(_normalizer, pre);
        PreTokenizer?.PreTokenize(pre);
        // Offsets go from UTF-16 units to code points; without surrogates they are the same.
        var cpIndex = text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0 ? Utf16.CodePointIndex(text) : null;
        var scratch = PipelineScratch.ForThread();
        var buffer = scratch.Pieces;
        for (int w = 0; w < pre.Splits.Count; w++)
        {
            var split = pre.Splits[w];
            var ns = split.Normalized;
            List<Token> splitTokens;
            if (split.Tokens is not null)
            {
                splitTokens = split.Tokens;
            }
            else
            {
                buffer.Clear();
                if (sampling is null)
                {
                    Model.Tokenize(ns.Text, buffer);
                }
                else
                {
                    ((UnigramModel)Model).Sample(ns.Text, sampling.NBestSize, sampling.Alpha, sampling.Random ?? Random.Shared, buffer);
                }

                splitTokens = buffer;
            }

            foreach (var tok in splitTokens)
            {
                var (s, e) = ns.ToOriginal(tok.Start, tok.End);
                s = Math.Clamp(s, 0, text.Length);
                e = Math.Clamp(e, 0, text.Length);
                scratch.AddToken(tok, cpIndex is null ? (s, e) : (cpIndex[s], cpIndex[e]), w);
            }
        }

        return scratch.ToEncoding(typeId);
    }

    /// <summary>Encodes a sequence, or a pair when <paramref name="pair"/> is given.</summary>
    public Encoding Encode(string text, string? pair = null, bool addSpecialTokens = true)
    {
        var encoding = EncodeSingleSequence(text, 0);
        var pairEncoding = pair is null ? null : EncodeSingleSequence(pair, 1);
        return PostProcess(encoding, pairEncoding, addSpecialTokens);
    }

    /// <summary>
    /// Encodes a sequence (or a pair) with subword regularisation: every word gets a segmentation sampled by
    /// <paramref name="sampling"/> instead of the best one.
    /// </summary>
    /// <exception cref="TokenizerException">The model is not a Unigram model.</exception>
    public Encoding Encode(string text, string? pair, bool addSpecialTokens, SubwordSampling sampling)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sampling);
        if (Model is not UnigramModel)
        {
            throw new TokenizerException($"Subword sampling needs a Unigram model; this tokenizer's model is {Model.GetType().Name}.");
        }

        var encoding = EncodeThroughPipeline(text, 0, sampling);
        var pairEncoding = pair is null ? null : EncodeThroughPipeline(pair, 1, sampling);
        return PostProcess(encoding, pairEncoding, addSpecialTokens);
    }

    /// <summary>Encodes many inputs in parallel, then pads them together.</summary>
    public IReadOnlyList<Encoding> EncodeBatch(IReadOnlyList<string> texts, bool addSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var result = new Encoding[texts.Count];
        Parallel.For(0, texts.Count, i => result[i] = Encode(texts[i], null, addSpecialTokens));
        if (Padding is not null)
        {
            PadEncodings(result, Padding);
        }

        return result;
    }

    /// <summary>Encodes many pairs in parallel, then pads them together.</summary>
    public IReadOnlyList<Encoding> EncodeBatch(IReadOnlyList<(string Text, string Pair)> pairs, bool addSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var result = new Encoding[pairs.Count];
        Parallel.For(0, pairs.Count, i => result[i] = Encode(pairs[i].Text, pairs[i].Pair, addSpecialTokens));
        if (Padding is not null)
        {
            PadEncodings(result, Padding);
        }

        return result;
    }

    /// <summary>Truncation, post-processing and padding of encoded sequences.</summary>
    /// <exception cref="TokenizerException">Truncation settings cannot be satisfied.</exception>
    public Encoding PostProcess(Encoding encoding, Encoding? pairEncoding, bool addSpecialTokens)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        if (Truncation is { } trunc)
        {
            int added = PostProcessor?.AddedTokens(pairEncoding is not null) ?? 0;
            var effective = trunc;
            if (addSpecialTokens && added > 0)
            {
                if (trunc.MaxLength < added)
                {
                    throw new TokenizerException(
                        $"Truncation: max_length {trunc.MaxLength} is smaller than the {added} special tokens the post-processor adds.");
                }

                effective = trunc with { MaxLength = trunc.MaxLength - added };
            }

            TruncateEncodings(encoding, pairEncoding, effective);
        }

        Encoding final;
        var encodings = pairEncoding is null ? new List<Encoding> { encoding } : [encoding, pairEncoding];
        if (PostProcessor is not null)
        {
            for (int i = 0; i < encodings.Count; i++)
            {
                encodings[i].SetSequenceId(i);
            }

            final = Encoding.Merge(PostProcessor.Process(encodings, addSpecialTokens), growingOffsets: false);
        }
        else if (pairEncoding is null)
        {
            final = encoding;
        }
        else
        {
            for (int i = 0; i < encodings.Count; i++)
            {
                encodings[i].SetSequenceId(i);
            }

            final = Encoding.Merge(encodings, growingOffsets: false);
        }

        if (Padding is not null)
        {
            PadEncodings([final], Padding);
        }

        return final;
    }

    /// <summary>Truncates a sequence or pair in place (Hugging Face <c>truncate_encodings</c>).</summary>
    /// <exception cref="TokenizerException">only_second without a pair, or a sequence too short to remove enough tokens.</exception>
    public static void TruncateEncodings(Encoding encoding, Encoding? pair, TruncationOptions options)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxLength == 0)
        {
            encoding.Truncate(0, options.Stride, options.Direction);
            pair?.Truncate(0, options.Stride, options.Direction);
            return;
        }

        int total = encoding.Length + (pair?.Length ?? 0);
        if (total <= options.MaxLength)
        {
            return;
        }

        int toRemove = total - options.MaxLength;
        switch (options.Strategy)
        {
            case TruncationStrategy.LongestFirst:
                if (pair is null)
                {
                    encoding.Truncate(total - toRemove, options.Stride, options.Direction);
                }
                else
                {
                    int n1 = encoding.Length, n2 = pair.Length;
                    bool swap = n1 > n2;
                    if (swap)
                    {
                        (n1, n2) = (n2, n1);
                    }

                    n2 = n1 > options.MaxLength ? n1 : Math.Max(n1, options.MaxLength - n1);
                    if (n1 + n2 > options.MaxLength)
                    {
                        n1 = options.MaxLength / 2;
                        n2 = n1 + (options.MaxLength % 2);
                    }

                    if (swap)
                    {
                        (n1, n2) = (n2, n1);
                    }

                    encoding.Truncate(n1, options.Stride, options.Direction);
                    pair.Truncate(n2, options.Stride, options.Direction);
                }

                break;
            default:
                var target = options.Strategy == TruncationStrategy.OnlyFirst
                    ? encoding
                    : pair ?? throw new TokenizerException("Truncation error: Second sequence not provided (strategy only_second needs a pair).");
                if (target.Length > toRemove)
                {
                    target.Truncate(target.Length - toRemove, options.Stride, options.Direction);
                }
                else
                {
                    throw new TokenizerException(
                        $"Truncation error: Sequence to truncate too short to respect the provided max_length (expected more than {toRemove} tokens, found {target.Length}).");
                }

                break;
        }
    }

    /// <summary>Pads encodings (and their overflowing windows) to a common length.</summary>
    public static void PadEncodings(IReadOnlyList<Encoding> encodings, PaddingOptions options)
    {
        ArgumentNullException.ThrowIfNull(encodings);
        ArgumentNullException.ThrowIfNull(options);
        if (encodings.Count == 0)
        {
            return;
        }

        int length = options.Strategy == PaddingStrategy.Fixed ? options.FixedLength : encodings.Max(e => e.Length);
        if (options.PadToMultipleOf is > 0 and var m && length % m > 0)
        {
            length += m - (length % m);
        }

        foreach (var e in encodings)
        {
            e.Pad(length, options.PadId, options.PadTypeId, options.PadToken, options.Direction);
        }
    }

    /// <summary>Decodes ids to text.</summary>
    public string Decode(IReadOnlyList<int> ids, bool skipSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var tokens = new List<string>(ids.Count);
        foreach (int id in ids)
        {
            string? token = AddedVocabulary.DecodeForm(id) ?? Model.IdToToken(id);
            if (token is null || (skipSpecialTokens && AddedVocabulary.IsSpecial(token)))
            {
                continue;
            }

            tokens.Add(token);
        }

        return Decoder is null ? string.Join(' ', tokens) : string.Concat(Decoder.DecodeChain(tokens));
    }

    /// <summary>Decodes several id sequences in parallel.</summary>
    public IReadOnlyList<string> DecodeBatch(IReadOnlyList<IReadOnlyList<int>> sequences, bool skipSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var result = new string[sequences.Count];
        Parallel.For(0, sequences.Count, i => result[i] = Decode(sequences[i], skipSpecialTokens));
        return result;
    }
}
