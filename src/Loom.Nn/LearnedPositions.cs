// Learned absolute position embeddings (GPT-2 `wpe`, BERT `position_embeddings`; Radford et al. 2019, Devlin et al. 2019).
using Loom.Core;

namespace Loom.Nn;

/// <summary>A (P, C) table of trained position vectors read for a contiguous range of positions.</summary>
public sealed class LearnedPositions
{
    /// <summary>Binds <c>weight</c> (P, C) under <paramref name="weights"/>.</summary>
    public LearnedPositions(Weights weights, int maxPositions, int dim, Init? init = null)
    {
        Table = new Embedding(weights, maxPositions, dim, init);
    }

    /// <summary>The underlying table.</summary>
    public Embedding Table { get; }

    /// <summary>(T, C) vectors for positions start … start + T − 1.</summary>
    public Tensor Forward(int length, int start = 0)
    {
        if (start < 0 || length < 0 || start + length > Table.Count)
        {
            throw new TensorIndexException($"LearnedPositions: positions {start} … {start + length - 1} are outside the table of {Table.Count} positions.");
        }

        return Table.Weight.Narrow(0, start, length); // (T, C)
    }
}
