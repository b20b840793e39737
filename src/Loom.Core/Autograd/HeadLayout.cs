namespace Loom.Core.Autograd;

/// <summary>How one (B, H, T, D) tensor is read head by head: storage, per-head offsets and the row stride.</summary>
internal sealed class HeadLayout
{
    private readonly int[] _strides;
    private readonly int _heads;

    private HeadLayout(Tensor tensor)
    {
        Tensor = tensor;
        _strides = tensor.Strides;
        _heads = tensor.ShapeArray[1];
        var (t, d) = (tensor.ShapeArray[2], tensor.ShapeArray[3]);
        RowStride = t <= 1 ? d : _strides[2];
    }

    /// <summary>The tensor as read (the original view or a contiguous copy).</summary>
    public Tensor Tensor { get; }

    public int RowStride { get; }

    public static HeadLayout Of(Tensor t)
    {
        var (time, d) = (t.ShapeArray[2], t.ShapeArray[3]);
        var usable = (d <= 1 || t.Strides[3] == 1) && (time <= 1 || t.Strides[2] >= d);
        return new HeadLayout(usable ? t : t.Materialize());
    }

    /// <summary>Storage from the first element of head number <paramref name="head"/> (= b·H + h).</summary>
    public ReadOnlySpan<float> Head(int head) =>
        Tensor.Storage.AsSpan(Tensor.Offset + (head / _heads * _strides[0]) + (head % _heads * _strides[1]));
}
