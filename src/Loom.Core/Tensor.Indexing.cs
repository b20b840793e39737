// Index-based selection: index_select, gather and scatter_add with PyTorch semantics (torch.index_select,
// torch.gather, torch.Tensor.scatter_add), plus the embedding lookup built on index_select.
using Loom.Core.Autograd;

namespace Loom.Core;

public sealed partial class Tensor
{
    /// <summary>Selects the slices <paramref name="indices"/> (1-D) along <paramref name="dim"/>.</summary>
    public Tensor IndexSelect(int dim, IntTensor indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var d = ShapeMath.NormalizeDim(dim, Rank, "IndexSelect");
        if (indices.Rank != 1)
        {
            throw new TensorShapeException($"IndexSelect: indices must be 1-D; found shape {ShapeMath.Format(indices.ShapeArray)}.");
        }

        CheckIndices(indices.Data, _shape[d], "IndexSelect", d);
        var shape = (int[])_shape.Clone();
        shape[d] = indices.Count;
        var result = Zeros(shape);
        CopyBlocks(ReadSpan(), _shape[d], indices.Data, BlockSize(d), result._storage, add: false);
        return Record(result, new IndexSelectOp(this, d, indices), this);
    }

    /// <summary>
    /// out[i…, j, k…] = x[i…, index[i…, j, k…], k…] along <paramref name="dim"/>; the index has the rank of x and
    /// sizes no larger than x outside <paramref name="dim"/>.
    /// </summary>
    public Tensor Gather(int dim, IntTensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        var d = ShapeMath.NormalizeDim(dim, Rank, "Gather");
        CheckIndexShape(index, d, "Gather");
        CheckIndices(index.Data, _shape[d], "Gather", d);
        var result = Zeros(index.ShapeArray);
        var output = result._storage;
        WalkIndex(index, d, (flat, sourceOffset) => output[flat] = _storage[sourceOffset]);
        return Record(result, new GatherOp(this, d, index), this);
    }

    /// <summary>
    /// Returns a copy of x with x[…, index, …] = source along <paramref name="dim"/> (torch.scatter); with repeated
    /// indices the last write in row-major order of the index wins.
    /// </summary>
    public Tensor Scatter(int dim, IntTensor index, Tensor source) => ScatterCore(dim, index, source, add: false);

    /// <summary>Returns a copy of x with <paramref name="source"/> values added at x[…, index, …] along <paramref name="dim"/>.</summary>
    public Tensor ScatterAdd(int dim, IntTensor index, Tensor source) => ScatterCore(dim, index, source, add: true);

    private Tensor ScatterCore(int dim, IntTensor index, Tensor source, bool add)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(source);
        var d = ShapeMath.NormalizeDim(dim, Rank, "ScatterAdd");
        CheckIndexShape(index, d, "ScatterAdd");
        CheckIndices(index.Data, _shape[d], "ScatterAdd", d);
        if (!ShapeMath.SameShape(source._shape, index.ShapeArray))
        {
            throw new TensorShapeException($"ScatterAdd: source shape {ShapeMath.Format(source._shape)} must equal index shape {ShapeMath.Format(index.ShapeArray)}.");
        }

        var result = new Tensor(ToArray(), (int[])_shape.Clone());
        var src = source.ReadSpan().ToArray();
        var output = result._storage;
        result.WalkIndex(index, d, (flat, targetOffset) => output[targetOffset] = add ? output[targetOffset] + src[flat] : src[flat]);
        return Record(result, add ? new ScatterAddOp(this, d, index, source) : new ScatterOp(this, d, index, source), this, source);
    }

    /// <summary>Rows of this (V, C) table for each id: the result has shape ids.Shape + (C).</summary>
    public Tensor Embedding(IntTensor ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (Rank != 2)
        {
            throw new TensorShapeException($"Embedding: the table must be 2-D (V, C); found shape {ShapeMath.Format(_shape)}.");
        }

        int[] outShape = [.. ids.ShapeArray, _shape[1]];
        return IndexSelect(0, ids.Reshape(-1)).Reshape(outShape);
    }

    /// <summary>Product of the sizes after <paramref name="dim"/>: the length of one contiguous slice.</summary>
    internal int BlockSize(int dim)
    {
        var inner = 1;
        for (var i = dim + 1; i < Rank; i++)
        {
            inner *= _shape[i];
        }

        return inner;
    }

    /// <summary>
    /// Row-major index_select core: for each outer position, slice <c>indices[i]</c> of <paramref name="source"/>
    /// (with <paramref name="sourceSize"/> slices of <paramref name="inner"/> floats) goes to slice i of the
    /// destination, or the reverse accumulation when <paramref name="add"/> is set (index_add).
    /// </summary>
    internal static void CopyBlocks(ReadOnlySpan<float> source, int sourceSize, int[] indices, int inner, Span<float> destination, bool add)
    {
        var n = indices.Length;
        var outer = add ? source.Length / Math.Max(n * inner, 1) : destination.Length / Math.Max(n * inner, 1);
        for (var o = 0; o < outer; o++)
        {
            for (var i = 0; i < n; i++)
            {
                var selected = ((o * sourceSize) + indices[i]) * inner;
                var position = ((o * n) + i) * inner;
                if (add)
                {
                    System.Numerics.Tensors.TensorPrimitives.Add(destination.Slice(selected, inner), source.Slice(position, inner), destination.Slice(selected, inner));
                }
                else
                {
                    source.Slice(selected, inner).CopyTo(destination.Slice(position, inner));
                }
            }
        }
    }

    private static void CheckIndices(int[] values, int size, string where, int dim)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if ((uint)values[i] >= (uint)size)
            {
                throw new TensorIndexException($"{where}: index {values[i]} at position {i} is out of range for dimension {dim} of size {size}.");
            }
        }
    }

    private void CheckIndexShape(IntTensor index, int dim, string where)
    {
        var ok = index.Rank == Rank;
        for (var i = 0; ok && i < Rank; i++)
        {
            ok = i == dim || index.ShapeArray[i] <= _shape[i];
        }

        if (!ok)
        {
            throw new TensorShapeException($"{where}: index shape {ShapeMath.Format(index.ShapeArray)} must have rank {Rank} and sizes no larger than {ShapeMath.Format(_shape)} outside dimension {dim}.");
        }
    }

    /// <summary>For every position of the index tensor: its flat position and the storage offset it addresses in this tensor.</summary>
    private void WalkIndex(IntTensor index, int dim, Action<int, int> visit)
    {
        var shape = index.ShapeArray;
        var counter = new int[shape.Length];
        for (var flat = 0; flat < index.Count; flat++)
        {
            var offset = _offset;
            for (var i = 0; i < shape.Length; i++)
            {
                offset += (i == dim ? index.Data[flat] : counter[i]) * _strides[i];
            }

            visit(flat, offset);
            for (var i = shape.Length - 1; i >= 0; i--)
            {
                if (++counter[i] < shape[i])
                {
                    break;
                }

                counter[i] = 0;
            }
        }
    }
}
