namespace Loom.Formats.Llama2c;

/// <summary>One float32 array of a llama2.c checkpoint, named as in <c>run.c</c>'s <c>TransformerWeights</c>.</summary>
public sealed class Llama2cTensor
{
    internal Llama2cTensor(string name, int[] shape, long offset)
    {
        Name = name;
        Shape = shape;
        long count = 1;
        foreach (int dimension in shape)
        {
            count *= dimension;
        }

        ElementCount = count;
        Offset = offset;
    }

    /// <summary><c>token_embedding_table</c>, <c>rms_att_weight</c>, <c>wq</c>, … <c>wcls</c>.</summary>
    public string Name { get; }

    /// <summary>Row-major shape; per-layer arrays have the layer count first, e.g. wq is [L, Dim, Dim].</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>Number of floats.</summary>
    public long ElementCount { get; }

    /// <summary>Absolute byte offset in the file.</summary>
    public long Offset { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Name} [{string.Join(", ", Shape)}]";
}
