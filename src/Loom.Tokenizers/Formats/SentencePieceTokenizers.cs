// Builds a pipeline Tokenizer from a SentencePiece .model, the way transformers' converters do
// (convert_slow_tokenizer.py SpmConverter / LlamaConverter): SentencePiece normalization (charsmap, extra
// whitespace removal, dummy prefix, '▁' for spaces), a Unigram model, or a BPE model whose merges are every split
// of a piece into two pieces ranked by the merged piece's score, and a decoder that maps '▁' back to spaces,
// joins byte pieces and drops the dummy prefix; control symbols decode to nothing and the unknown piece to " ⁇ ".
// No special tokens are added (SentencePiece's encode adds none).
using Loom.Tokenizers.Decoders;
using Loom.Tokenizers.Models;
using Loom.Tokenizers.Normalizers;

namespace Loom.Tokenizers.Formats;

/// <summary>Tokenizers from SentencePiece models.</summary>
public static class SentencePieceTokenizers
{
    /// <summary>Loads a .model file as a <see cref="Tokenizer"/>.</summary>
    /// <exception cref="TokenizerException">The file is malformed or uses an unsupported model type.</exception>
    public static Tokenizer Load(string path) => Create(SentencePieceModel.Load(path));

    /// <summary>Builds a <see cref="Tokenizer"/> from a parsed model.</summary>
    /// <exception cref="TokenizerException">The model type is not unigram or BPE.</exception>
    public static Tokenizer Create(SentencePieceModel spm) => Create(spm, sentencePieceDecoding: true);

    /// <summary>
    /// Builds a <see cref="Tokenizer"/> from a parsed model; without <paramref name="sentencePieceDecoding"/> control and
    /// unknown pieces decode to their text, as in Hugging Face's converted tokenizer.json, instead of to nothing / " ⁇ ".
    /// </summary>
    internal static Tokenizer Create(SentencePieceModel spm, bool sentencePieceDecoding)
    {
        ArgumentNullException.ThrowIfNull(spm);
        ITokenizerModel model = spm.ModelType switch
        {
            1 => new UnigramModel(spm.Pieces.Select(p => (p.Piece, (double)p.Score)).ToList(), spm.UnkId, spm.ByteFallback, fuseUnk: true,
                unmatchable: Enumerable.Range(0, spm.Pieces.Count).Where(i => spm.Pieces[i].Type is SentencePieceModel.PieceType.Control
                    or SentencePieceModel.PieceType.Unknown or SentencePieceModel.PieceType.Unused).ToHashSet()),
            2 => Bpe(spm),
            _ => throw new TokenizerException($"SentencePiece: model type {spm.ModelType} is not supported (expected 1 = unigram or 2 = BPE)."),
        };
        var normalizers = new List<INormalizer>();
        if (spm.PrecompiledCharsmap.Length > 0)
        {
            normalizers.Add(new PrecompiledNormalizer(spm.PrecompiledCharsmap));
        }

        if (spm.RemoveExtraWhitespaces)
        {
            normalizers.Add(new StripNormalizer(true, true));
            normalizers.Add(new ReplaceNormalizer(Pattern.FromRegex(" {2,}"), " "));
        }

        if (spm.AddDummyPrefix)
        {
            normalizers.Add(new PrependNormalizer("\u2581"));
        }

        if (spm.EscapeWhitespaces)
        {
            normalizers.Add(new ReplaceNormalizer(Pattern.Literal(" "), "\u2581"));
        }

        // SentencePiece never matches control symbols in text and decodes them to nothing, and the unknown piece to " ⁇ ".
        var decoders = new List<IDecoder>();
        var userDefined = new List<AddedToken>();
        for (int i = 0; i < spm.Pieces.Count; i++)
        {
            var (piece, _, type) = spm.Pieces[i];
            if (type == SentencePieceModel.PieceType.Control && piece.Length > 0 && sentencePieceDecoding)
            {
                decoders.Add(new ReplaceDecoder(Pattern.Literal(piece), string.Empty));
            }
            else if (type == SentencePieceModel.PieceType.Unknown && sentencePieceDecoding)
            {
                decoders.Add(new ReplaceDecoder(Pattern.Literal(piece), " \u2047 "));
            }
            else if (type == SentencePieceModel.PieceType.UserDefined)
            {
                userDefined.Add(new AddedToken(piece, i, Special: false, Normalized: false));
            }
        }

        decoders.AddRange(
        [
            new ReplaceDecoder(Pattern.Literal("\u2581"), " "), new ByteFallbackDecoder(), new FuseDecoder(), new StripDecoder(' ', spm.AddDummyPrefix ? 1 : 0, 0),
        ]);
        var tokenizer = new Tokenizer(model) { Normalizer = new SequenceNormalizer(normalizers), Decoder = new SequenceDecoder(decoders) };
        tokenizer.AddTokens(userDefined);
        return tokenizer;
    }

    private static BpeModel Bpe(SentencePieceModel spm)
    {
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < spm.Pieces.Count; i++)
        {
            vocab.TryAdd(spm.Pieces[i].Piece, i);
        }

        var merges = new List<(string, string, float, int, int)>();
        foreach (var (piece, id) in vocab)
        {
            for (int k = 1; k < piece.Length; k++)
            {
                if (char.IsLowSurrogate(piece[k]))
                {
                    continue;
                }

                if (vocab.TryGetValue(piece[..k], out int a) && vocab.TryGetValue(piece[k..], out int b))
                {
                    merges.Add((piece[..k], piece[k..], spm.Pieces[id].Score, a, b));
                }
            }
        }

        var ordered = merges.OrderByDescending(m => m.Item3).ThenBy(m => m.Item4).ThenBy(m => m.Item5).Select(m => (m.Item1, m.Item2)).ToList();
        return new BpeModel(vocab, ordered, new BpeOptions
        {
            UnkToken = spm.Pieces[spm.UnkId].Piece,
            ByteFallback = spm.ByteFallback,
            FuseUnk = true,
        });
    }
}
