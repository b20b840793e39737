// A weight matrix kept in llama.cpp's block-quantised storage (ggml Q8_0 / Q4_0: 32 values per block sharing a binary16
// scale) and multiplied by a kernel that dequantises as it goes (Loom.Kernels.QuantizedMatmul), so a quantised model
// keeps ≈ 1.06 (Q8_0) or ≈ 0.56 (Q4_0) bytes per weight in memory instead of 4. Inference only: no autograd op
// records it, and a product whose input wants a gradient is refused rather than silently cut from the graph. Activations
// can be asked to be quantised to int8 for the product as llama.cpp does (Activations = QuantizedActivations.Int8):
// faster, and no longer the exact product with the dequantised matrix.
using Loom.Core.Autograd;
using Loom.Formats.Gguf;
using Loom.Kernels;

namespace Loom.Core;

/// <summary>An immutable (rows × columns) matrix of <see cref="QuantizedFormat"/> blocks, row-major.</summary>
public sealed class QuantizedMatrix
{
    private readonly byte[] _data;

    /// <summary>Wraps <paramref name="data"/> (not copied): <paramref name="rows"/> rows of whole 32-value blocks.</summary>
    /// <exception cref="ArgumentException">The byte count does not match the shape, or the columns are not whole blocks.</exception>
    public QuantizedMatrix(QuantizedFormat format, int rows, int columns, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        var expected = QuantizedLayout.MatrixBytes(format, rows, columns);
        if (data.Length != expected)
        {
            throw new ArgumentException($"A {rows} × {columns} {format} matrix takes {expected} bytes; found {data.Length}.", nameof(data));
        }

        Format = format;
        Rows = rows;
        Columns = columns;
        _data = data;
    }

    /// <summary>The block layout.</summary>
    public QuantizedFormat Format { get; }

    /// <summary>Number of rows (output features of a linear layer, V of an embedding).</summary>
    public int Rows { get; }

    /// <summary>Number of columns (input features, C of an embedding); a multiple of 32.</summary>
    public int Columns { get; }

    /// <summary>(Rows, Columns).</summary>
    public IReadOnlyList<int> Shape => [Rows, Columns];

    /// <summary>Number of weights.</summary>
    public long Count => (long)Rows * Columns;

    /// <summary>
    /// How <see cref="MultiplyTransposed"/> treats its input: <see cref="QuantizedActivations.Float32"/> (the default: the
    /// exact product with the dequantised matrix) or <see cref="QuantizedActivations.Int8"/> (decode-sized inputs quantised
    /// to int8 blocks and multiplied with integer dot products, as llama.cpp; results change by the activation rounding).
    /// </summary>
    public QuantizedActivations Activations { get; set; }

    /// <summary>The stored blocks.</summary>
    public ReadOnlyMemory<byte> Data => _data;

    /// <summary>Asks the OS to back the blocks with huge pages (<see cref="HugePages.Advise"/>); returns the bytes collapsed.</summary>
    public long AdviseHugePages() => HugePages.Advise(_data);

    /// <summary>The GGUF / ggml tensor type of the blocks (Q8_0 or Q4_0).</summary>
    public GgmlType GgmlType => Format == QuantizedFormat.Q8_0 ? GgmlType.Q8_0 : GgmlType.Q4_0;

    /// <summary>
    /// A copy of the GGUF tensor bytes <paramref name="data"/> of type <paramref name="type"/> when it is a type kept
    /// quantised (Q8_0, Q4_0); null for any other type.
    /// </summary>
    /// <exception cref="ArgumentException">The byte count does not match the shape, or the columns are not whole blocks.</exception>
    public static QuantizedMatrix? FromGgml(GgmlType type, int rows, int columns, ReadOnlySpan<byte> data) => type switch
    {
        GgmlType.Q8_0 => new QuantizedMatrix(QuantizedFormat.Q8_0, rows, columns, data.ToArray()),
        GgmlType.Q4_0 => new QuantizedMatrix(QuantizedFormat.Q4_0, rows, columns, data.ToArray()),
        _ => null,
    };

    /// <summary>
    /// Quantises a float32 (rows × columns) matrix with ggml's reference rounding (GgmlQuantization: Q8_0 round to
    /// nearest of x / (max|x| / 127); Q4_0 scale = extreme / −8).
    /// </summary>
    public static QuantizedMatrix Quantize(Tensor matrix, QuantizedFormat format)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.Rank != 2)
        {
            throw new TensorShapeException($"QuantizedMatrix.Quantize: expected a 2-D matrix; found shape {ShapeMath.Format(matrix.ShapeArray)}.");
        }

        int rows = matrix.Size(0), columns = matrix.Size(1);
        var values = matrix.Contiguous().ReadSpan();
        var data = new byte[QuantizedLayout.MatrixBytes(format, rows, columns)];
        var blocks = rows * (columns / QuantizedLayout.BlockValues);
        if (format == QuantizedFormat.Q8_0)
        {
            GgmlQuantization.QuantizeQ8_0(values, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, BlockQ8_0>(data.AsSpan())[..blocks]);
        }
        else
        {
            GgmlQuantization.QuantizeQ4_0(values, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, BlockQ4_0>(data.AsSpan())[..blocks]);
        }

        return new QuantizedMatrix(format, rows, columns, data);
    }

    /// <summary>The float32 values, (Rows, Columns).</summary>
    public Tensor Dequantize()
    {
        var values = new float[Count];
        QuantizedRows.Dequantize(Format, _data, values);
        return new Tensor(values, [Rows, Columns]);
    }

    /// <summary>
    /// x · Wᵀ: (…, Columns) → (…, Rows), the product of a linear layer whose weight is this matrix.
    /// </summary>
    /// <exception cref="TensorShapeException">The last dimension of <paramref name="x"/> is not <see cref="Columns"/>.</exception>
    /// <exception cref="InvalidOperationException">Gradients are being recorded through <paramref name="x"/>.</exception>
    public Tensor MultiplyTransposed(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank < 1 || x.Size(-1) != Columns)
        {
            throw new TensorShapeException($"Quantized {Format} matmul: expected input (…, {Columns}); found {ShapeMath.Format(x.ShapeArray)}.");
        }

        RefuseGradient(x);
        var m = ShapeMath.CountOf(x.ShapeArray[..^1], "Quantized matmul"); // rows of x: (M, Columns)
        var output = new float[(long)m * Rows];
        QuantizedMatmul.Multiply(Format, _data, Rows, Columns, x.Contiguous().ReadSpan(), m, output, Activations);
        return new Tensor(output, [.. x.ShapeArray[..^1], Rows]);
    }

    /// <summary>Rows selected by <paramref name="ids"/>, dequantised: (…) → (…, Columns), an embedding lookup.</summary>
    /// <exception cref="TensorIndexException">An id is outside [0, Rows).</exception>
    public Tensor Embedding(IntTensor ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var selected = ids.ToArray();
        var rowBytes = QuantizedLayout.RowBytes(Format, Columns);
        var output = new float[(long)selected.Length * Columns];
        for (var i = 0; i < selected.Length; i++)
        {
            if ((uint)selected[i] >= (uint)Rows)
            {
                throw new TensorIndexException($"Embedding: id {selected[i]} at position {i} is outside [0, {Rows}).");
            }

            QuantizedRows.Dequantize(Format, _data.AsSpan(selected[i] * rowBytes, rowBytes), output.AsSpan(i * Columns, Columns));
        }

        return new Tensor(output, [.. ids.Shape, Columns]);
    }

    /// <inheritdoc/>
    public override string ToString() => $"QuantizedMatrix({Format}, [{Rows}, {Columns}])";

    private void RefuseGradient(Tensor x)
    {
        if (GradMode.IsEnabled && x.RequiresGrad)
        {
            throw new InvalidOperationException($"A {Format} quantised weight [{Rows}, {Columns}] is inference only: its product records no gradient, but the input requires one. Run under Tensor.NoGrad(), or dequantise the weight (QuantizedMatrix.Dequantize) to train.");
        }
    }
}
