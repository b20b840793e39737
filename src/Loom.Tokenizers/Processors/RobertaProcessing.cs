// RoBERTa's post-processing (Liu et al. 2019; HF processors/roberta.rs): "<s> A </s>" and "<s> A </s> </s> B </s>",
// every type id 0, byte-level offset trimming.
namespace Loom.Tokenizers.Processors;

/// <summary>The RoBERTa post-processor (also BERT's when <see cref="PairTypeId"/> is 1 and trimming is off).</summary>
public sealed class RobertaProcessing : IPostProcessor
{
    /// <summary>Creates the processor.</summary>
    public RobertaProcessing((string Token, int Id) sep, (string Token, int Id) cls, bool trimOffsets = true, bool addPrefixSpace = true)
        : this(sep, cls, trimOffsets, addPrefixSpace, isBert: false)
    {
    }

    private RobertaProcessing((string Token, int Id) sep, (string Token, int Id) cls, bool trimOffsets, bool addPrefixSpace, bool isBert)
    {
        Sep = sep;
        Cls = cls;
        TrimOffsets = trimOffsets;
        AddPrefixSpace = addPrefixSpace;
        IsBert = isBert;
    }

    /// <summary>BERT's processor: "[CLS] A [SEP]" / "[CLS] A [SEP] B [SEP]" with type id 1 on the B part.</summary>
    public static RobertaProcessing Bert((string Token, int Id) sep, (string Token, int Id) cls) => new(sep, cls, false, false, isBert: true);

    /// <summary>Separator token.</summary>
    public (string Token, int Id) Sep { get; }

    /// <summary>Classifier token.</summary>
    public (string Token, int Id) Cls { get; }

    /// <summary>Trim byte-level spaces out of offsets.</summary>
    public bool TrimOffsets { get; }

    /// <summary>Whether a prefix space was added by the pre-tokenizer.</summary>
    public bool AddPrefixSpace { get; }

    /// <summary>BERT layout (one separator between the sequences, B has type id 1).</summary>
    public bool IsBert { get; }

    private int PairTypeId => IsBert ? 1 : 0;

    /// <inheritdoc/>
    public int AddedTokens(bool isPair) => isPair ? (IsBert ? 3 : 4) : 2;

    /// <inheritdoc/>
    public List<Encoding> Process(List<Encoding> encodings, bool addSpecialTokens)
    {
        ArgumentNullException.ThrowIfNull(encodings);
        if (TrimOffsets)
        {
            ByteLevelOffsets.TrimAll(encodings, AddPrefixSpace);
        }

        if (!IsBert)
        {
            foreach (var e in encodings)
            {
                e.SetTypeIds(0);
            }
        }

        if (!addSpecialTokens)
        {
            return encodings;
        }

        var result = new List<Encoding>();
        for (int i = 0; i < encodings.Count; i++)
        {
            var e = encodings[i];
            int typeId = i == 0 ? 0 : PairTypeId;
            var start = i == 0 ? Cls : Sep;
            result.Add(Wrap(e, start, typeId, i, skipStart: i == 1 && IsBert));
        }

        return result;
    }

    private Encoding Wrap(Encoding e, (string Token, int Id) start, int typeId, int sequence, bool skipStart)
    {
        var overflowing = e.Overflowing.Select(o => Wrap(o, start, typeId, sequence, skipStart)).ToList();
        e.SetTypeIds(typeId);
        e.SetSequenceId(sequence);
        var parts = new List<Encoding>();
        if (!skipStart)
        {
            parts.Add(Encoding.ForSpecialTokens([start.Id], [start.Token], typeId));
        }

        var body = e.Clone();
        body.Overflowing.Clear();
        parts.Add(body);
        parts.Add(Encoding.ForSpecialTokens([Sep.Id], [Sep.Token], typeId));
        var merged = Encoding.Merge(parts, growingOffsets: false);
        merged.Overflowing.AddRange(overflowing);
        return merged;
    }
}
