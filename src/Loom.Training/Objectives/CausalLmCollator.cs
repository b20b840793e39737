// Causal language modelling (Radford et al. 2019, GPT-2; HF DataCollatorForLanguageModeling with mlm=False): labels
// are the input ids themselves — the model shifts them by one inside its loss — with −100 on padding. For packed
// blocks (see Data.BlockPacker) position ids may restart after every EOS so that each document starts at position 0.
namespace Loom.Training.Objectives;

/// <summary>Collates sequences or packed blocks for next-token prediction.</summary>
public sealed class CausalLmCollator
{
    /// <summary>Creates the collator; <paramref name="eosId"/> marks document ends in packed blocks.</summary>
    public CausalLmCollator(int padId, int eosId, bool resetPositionsAtEos = false)
    {
        PadId = padId;
        EosId = eosId;
        ResetPositionsAtEos = resetPositionsAtEos;
    }

    /// <summary>Padding id.</summary>
    public int PadId { get; }

    /// <summary>End-of-document id.</summary>
    public int EosId { get; }

    /// <summary>Whether position ids restart at 0 after every EOS (packed documents).</summary>
    public bool ResetPositionsAtEos { get; }

    /// <summary>Input ids, attention mask, labels (−100 at padding) and position ids.</summary>
    public TrainingBatch Collate(IReadOnlyList<int[]> sequences)
    {
        var inputs = BatchPadding.Pad(sequences, PadId);
        var positions = sequences.Select(Positions).ToArray();
        return new TrainingBatch
        {
            InputIds = inputs,
            AttentionMask = BatchPadding.Mask(sequences),
            Labels = BatchPadding.Pad(sequences, TrainingBatch.IgnoreIndex),
            PositionIds = BatchPadding.Pad(positions, 0),
        };
    }

    private int[] Positions(int[] sequence)
    {
        var positions = new int[sequence.Length];
        var p = 0;
        for (var i = 0; i < sequence.Length; i++)
        {
            positions[i] = p++;
            if (ResetPositionsAtEos && sequence[i] == EosId)
            {
                p = 0;
            }
        }

        return positions;
    }
}
