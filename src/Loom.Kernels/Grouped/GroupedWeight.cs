namespace Loom.Kernels;

/// <summary>
/// One weight W (stored N × K, the (out, in) matrix of a linear layer) and its optional bias in a
/// <see cref="GroupedProducts"/> call: float32, or quantised (<see cref="QuantizedFormat"/>) with its activation mode.
/// </summary>
public readonly struct GroupedWeight
{
    private GroupedWeight(int rows, ReadOnlyMemory<float> values, bool quantized, ReadOnlyMemory<byte> blocks, QuantizedFormat format, QuantizedActivations activations, ReadOnlyMemory<float> bias)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (!bias.IsEmpty && bias.Length != rows)
        {
            throw new ArgumentException($"A bias for a weight of {rows} rows holds {rows} values; found {bias.Length}.", nameof(bias));
        }

        Rows = rows;
        IsQuantized = quantized;
        Values = values;
        Blocks = blocks;
        Format = format;
        Activations = activations;
        Bias = bias;
    }

    /// <summary>N: rows of W, columns of its output.</summary>
    public int Rows { get; }

    /// <summary>Whether W is stored as quantised blocks (<see cref="Blocks"/>) rather than float32 (<see cref="Values"/>).</summary>
    public bool IsQuantized { get; }

    /// <summary>The float32 weights, N rows of K, or empty for a quantised weight.</summary>
    public ReadOnlyMemory<float> Values { get; }

    /// <summary>The quantised blocks, N rows of K / 32 blocks, or empty for a float32 weight.</summary>
    public ReadOnlyMemory<byte> Blocks { get; }

    /// <summary>The layout of <see cref="Blocks"/>.</summary>
    public QuantizedFormat Format { get; }

    /// <summary>How a quantised weight meets its input (<see cref="QuantizedMatrix"/>'s Activations).</summary>
    public QuantizedActivations Activations { get; }

    /// <summary>b (N values) added to every output row, or empty.</summary>
    public ReadOnlyMemory<float> Bias { get; }

    /// <summary>The most input rows this weight's product serves as one pass of dot products (the decode case).</summary>
    internal int MaxPassRows =>
        !IsQuantized ? GemmDotRows.MaxRows
        : Activations == QuantizedActivations.Int8 ? QuantizedMatmul.MaxIntegerRows
        : QuantizedMatmul.MaxStreamingRows;

    /// <summary>A float32 weight: <paramref name="rows"/> rows of K values.</summary>
    /// <exception cref="ArgumentException">The bias is neither empty nor <paramref name="rows"/> long.</exception>
    public static GroupedWeight Float32(ReadOnlyMemory<float> weight, int rows, ReadOnlyMemory<float> bias = default) =>
        new(rows, weight, false, ReadOnlyMemory<byte>.Empty, default, default, bias);

    /// <summary>A quantised weight: <paramref name="rows"/> rows of <paramref name="format"/> blocks.</summary>
    /// <exception cref="ArgumentException">The bias is neither empty nor <paramref name="rows"/> long.</exception>
    public static GroupedWeight Quantized(QuantizedFormat format, ReadOnlyMemory<byte> weight, int rows, QuantizedActivations activations, ReadOnlyMemory<float> bias = default) =>
        new(rows, ReadOnlyMemory<float>.Empty, true, weight, format, activations, bias);
}
