namespace Loom.Core;

public sealed partial class Tensor
{
    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(params int[] shape) => new(new float[ShapeMath.CountOf(shape, "Zeros")], (int[])shape.Clone());

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(params int[] shape) => Full(1f, shape);

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(float value, params int[] shape)
    {
        var data = new float[ShapeMath.CountOf(shape, "Full")];
        Array.Fill(data, value);
        return new Tensor(data, (int[])shape.Clone());
    }

    /// <summary>A zero tensor with the shape of <paramref name="like"/>.</summary>
    public static Tensor ZerosLike(Tensor like)
    {
        ArgumentNullException.ThrowIfNull(like);
        return Zeros(like._shape);
    }

    /// <summary>A rank-0 tensor holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(float value) => new([value], []);

    /// <summary>Copies <paramref name="values"/> into a tensor of the given shape (default: 1-D; one size may be −1).</summary>
    public static Tensor FromArray(float[] values, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(values);
        var s = shape.Length == 0 ? [values.Length] : ShapeMath.InferShape(shape, values.Length, "FromArray");
        return new Tensor((float[])values.Clone(), s);
    }

    /// <summary>start, start + step, … (excluding <paramref name="end"/>).</summary>
    public static Tensor Arange(float start, float end, float step = 1f)
    {
        if (step == 0f || float.IsNaN(step))
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "Arange step must be a non-zero number.");
        }

        var n = Math.Max(0, (int)Math.Ceiling((end - (double)start) / step));
        var data = new float[n];
        for (var i = 0; i < n; i++)
        {
            data[i] = start + (i * step);
        }

        return new Tensor(data, [n]);
    }

    /// <summary>0, 1, …, n − 1.</summary>
    public static Tensor Arange(int n) => Arange(0f, n);

    /// <summary>Uniform samples in [0, 1) drawn from <paramref name="generator"/>.</summary>
    public static Tensor Rand(Generator generator, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var data = new float[ShapeMath.CountOf(shape, "Rand")];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = generator.NextSingle();
        }

        return new Tensor(data, (int[])shape.Clone());
    }

    /// <summary>Standard normal samples drawn from <paramref name="generator"/>.</summary>
    public static Tensor Randn(Generator generator, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var data = new float[ShapeMath.CountOf(shape, "Randn")];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (float)generator.NextNormal();
        }

        return new Tensor(data, (int[])shape.Clone());
    }
}
