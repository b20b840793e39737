namespace Loom.Core;

/// <summary>
/// A contiguous, row-major tensor of 32-bit integers: token ids, class targets, gather/scatter indices, argmax
/// results and attention masks (1 = attend, 0 = padding). It has no autograd.
/// </summary>
public sealed class IntTensor
{
    private readonly int[] _data;
    private readonly int[] _shape;

    private IntTensor(int[] data, int[] shape)
    {
        _data = data;
        _shape = shape;
    }

    /// <summary>The size of every dimension.</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>Number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>Number of elements.</summary>
    public int Count => _data.Length;

    internal int[] ShapeArray => _shape;

    internal int[] Data => _data;

    /// <summary>Element at a full index.</summary>
    public int this[params int[] index] => _data[ShapeMath.FlatIndex(_shape, index)];

    /// <summary>Copies <paramref name="values"/> into a tensor of the given shape (default: 1-D).</summary>
    public static IntTensor FromArray(int[] values, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(values);
        var s = shape.Length == 0 ? [values.Length] : ShapeMath.InferShape(shape, values.Length, "IntTensor.FromArray");
        return new IntTensor((int[])values.Clone(), s);
    }

    /// <summary>A tensor of zeros.</summary>
    public static IntTensor Zeros(params int[] shape) => new(new int[ShapeMath.CountOf(shape, "IntTensor.Zeros")], (int[])shape.Clone());

    /// <summary>0, 1, …, n − 1.</summary>
    public static IntTensor Arange(int n)
    {
        var data = new int[n];
        for (var i = 0; i < n; i++)
        {
            data[i] = i;
        }

        return new IntTensor(data, [n]);
    }

    /// <summary>Same elements, new shape (one dimension may be −1).</summary>
    public IntTensor Reshape(params int[] shape) => new(_data, ShapeMath.InferShape(shape, _data.Length, "IntTensor.Reshape"));

    /// <summary>A copy of the elements in row-major order.</summary>
    public int[] ToArray() => (int[])_data.Clone();

    /// <summary>The elements converted to float32.</summary>
    public Tensor ToFloat()
    {
        var values = new float[_data.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = _data[i];
        }

        return Tensor.FromArray(values, _shape);
    }

    /// <inheritdoc/>
    public override string ToString() => $"IntTensor({ShapeMath.Format(_shape)})";
}
