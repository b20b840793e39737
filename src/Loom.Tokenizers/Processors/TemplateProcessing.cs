// Template post-processing (HF processors/template.rs): "[CLS] $A [SEP]" / "[CLS] $A [SEP] $B:1 [SEP]:1". Each piece
// becomes an encoding (sequences get the template's type id) and the pieces are merged, which also combines the
// overflowing windows with the special tokens around them.
namespace Loom.Tokenizers.Processors;

/// <summary>The template post-processor.</summary>
public sealed class TemplateProcessing : IPostProcessor
{
    /// <summary>Creates the processor.</summary>
    /// <exception cref="TokenizerException">A template names a special token that is not defined.</exception>
    public TemplateProcessing(IReadOnlyList<TemplatePiece> single, IReadOnlyList<TemplatePiece> pair, IReadOnlyDictionary<string, SpecialTokenEntry> specialTokens)
    {
        Single = single ?? throw new ArgumentNullException(nameof(single));
        Pair = pair ?? throw new ArgumentNullException(nameof(pair));
        SpecialTokens = specialTokens ?? throw new ArgumentNullException(nameof(specialTokens));
        foreach (var p in single.Concat(pair))
        {
            if (!p.IsSequence && !specialTokens.ContainsKey(p.SpecialToken!))
            {
                throw new TokenizerException($"TemplateProcessing: the template uses special token '{p.SpecialToken}', which is not among its special_tokens.");
            }
        }
    }

    /// <summary>Template for a single sequence.</summary>
    public IReadOnlyList<TemplatePiece> Single { get; }

    /// <summary>Template for a pair.</summary>
    public IReadOnlyList<TemplatePiece> Pair { get; }

    /// <summary>The special tokens the templates use.</summary>
    public IReadOnlyDictionary<string, SpecialTokenEntry> SpecialTokens { get; }

    /// <inheritdoc/>
    public int AddedTokens(bool isPair) => (isPair ? Pair : Single).Where(p => !p.IsSequence).Sum(p => SpecialTokens[p.SpecialToken!].Ids.Count);

    /// <inheritdoc/>
    public List<Encoding> Process(List<Encoding> encodings, bool addSpecialTokens)
    {
        ArgumentNullException.ThrowIfNull(encodings);
        var template = encodings.Count == 2 ? Pair : Single;
        var result = new List<Encoding>(template.Count);
        for (int p = 0; p < template.Count; p++)
        {
            var piece = template[p];
            if (piece.IsSequence)
            {
                // The merge copies every piece; a sequence needs a copy of its own only when the template uses it again.
                var e = encodings[piece.SequenceIndex];
                e.SetTypeIds(piece.TypeId);
                e.SetSequenceId(piece.SequenceIndex);
                bool usedAgain = false;
                for (int q = p + 1; q < template.Count; q++)
                {
                    usedAgain |= template[q].IsSequence && template[q].SequenceIndex == piece.SequenceIndex;
                }

                result.Add(usedAgain ? e.Clone() : e);
            }
            else if (addSpecialTokens)
            {
                var tok = SpecialTokens[piece.SpecialToken!];
                result.Add(Encoding.ForSpecialTokens(tok.Ids, tok.Tokens, piece.TypeId));
            }
        }

        return result;
    }
}
