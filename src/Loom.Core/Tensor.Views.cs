using Loom.Core.Autograd;

namespace Loom.Core;

public sealed partial class Tensor
{
    /// <summary>Same elements in a new shape (one size may be −1): a view when contiguous, otherwise a copy.</summary>
    public Tensor Reshape(params int[] shape)
    {
        var target = ShapeMath.InferShape(shape, Count, "Reshape");
        var source = IsContiguous ? this : Contiguous();
        var result = new Tensor(source._storage, target, ShapeMath.ContiguousStrides(target), source._offset);
        return Record(result, new ReshapeOp(source), source);
    }

    /// <summary>Like <see cref="Reshape"/> but never copies: throws for a non-contiguous tensor.</summary>
    public Tensor View(params int[] shape)
    {
        if (!IsContiguous)
        {
            throw new InvalidOperationException($"View{ShapeMath.Format(shape)} needs a contiguous tensor; found strides {ShapeMath.Format(_strides)} for shape {ShapeMath.Format(_shape)}. Use Reshape or Contiguous().");
        }

        return Reshape(shape);
    }

    /// <summary>Reorders dimensions: result dimension i is input dimension perm[i] (a view).</summary>
    public Tensor Permute(params int[] perm)
    {
        ArgumentNullException.ThrowIfNull(perm);
        if (perm.Length != Rank)
        {
            throw new TensorShapeException($"Permute: expected {Rank} dimensions, found {perm.Length} ({ShapeMath.Format(perm)}).");
        }

        var seen = new bool[Rank];
        var shape = new int[Rank];
        var strides = new int[Rank];
        var normalized = new int[Rank];
        for (var i = 0; i < Rank; i++)
        {
            var d = ShapeMath.NormalizeDim(perm[i], Rank, "Permute");
            if (seen[d])
            {
                throw new TensorShapeException($"Permute: dimension {d} appears twice in {ShapeMath.Format(perm)}.");
            }

            seen[d] = true;
            normalized[i] = d;
            shape[i] = _shape[d];
            strides[i] = _strides[d];
        }

        return Record(new Tensor(_storage, shape, strides, _offset), new PermuteOp(this, normalized), this);
    }

    /// <summary>Swaps two dimensions (a view).</summary>
    public Tensor Transpose(int dim0, int dim1)
    {
        var perm = new int[Rank];
        for (var i = 0; i < Rank; i++)
        {
            perm[i] = i;
        }

        var a = ShapeMath.NormalizeDim(dim0, Rank, "Transpose");
        var b = ShapeMath.NormalizeDim(dim1, Rank, "Transpose");
        (perm[a], perm[b]) = (perm[b], perm[a]);
        return Permute(perm);
    }

    /// <summary>Elements start … start + length − 1 along one dimension (a view).</summary>
    public Tensor Narrow(int dim, int start, int length)
    {
        var d = ShapeMath.NormalizeDim(dim, Rank, "Narrow");
        if (start < 0 || length < 0 || start + length > _shape[d])
        {
            throw new TensorIndexException($"Narrow: range [{start}, {start + length}) is outside dimension {d} of size {_shape[d]}.");
        }

        var shape = (int[])_shape.Clone();
        shape[d] = length;
        var result = new Tensor(_storage, shape, _strides, _offset + (start * _strides[d]));
        return Record(result, new NarrowOp(this, d, start), this);
    }

    /// <summary>Broadcasts size-1 dimensions (and new leading ones) to <paramref name="shape"/>; −1 keeps a size (a view).</summary>
    public Tensor Expand(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var target = (int[])shape.Clone();
        var lead = target.Length - Rank;
        for (var i = 0; i < target.Length; i++)
        {
            if (target[i] == -1)
            {
                if (i < lead)
                {
                    throw new TensorShapeException($"Expand: -1 is not allowed for the new leading dimension {i} of {ShapeMath.Format(shape)}.");
                }

                target[i] = _shape[i - lead];
            }
        }

        if (ShapeMath.SameShape(target, _shape))
        {
            return this;
        }

        var strides = ShapeMath.BroadcastStrides(_shape, _strides, target, "Expand");
        return Record(new Tensor(_storage, target, strides, _offset), new ExpandOp(this), this);
    }

    /// <summary>Inserts a dimension of size 1 at <paramref name="dim"/> (−1 appends).</summary>
    public Tensor Unsqueeze(int dim)
    {
        var d = ShapeMath.NormalizeDim(dim, Rank + 1, "Unsqueeze");
        var shape = new List<int>(_shape);
        shape.Insert(d, 1);
        return Reshape([.. shape]);
    }

    /// <summary>Removes dimension <paramref name="dim"/>, which must have size 1.</summary>
    public Tensor Squeeze(int dim)
    {
        var d = ShapeMath.NormalizeDim(dim, Rank, "Squeeze");
        if (_shape[d] != 1)
        {
            throw new TensorShapeException($"Squeeze: dimension {d} has size {_shape[d]}; expected 1.");
        }

        var shape = new List<int>(_shape);
        shape.RemoveAt(d);
        return Reshape([.. shape]);
    }

    /// <summary>Pieces of at most <paramref name="size"/> along <paramref name="dim"/> (views).</summary>
    public Tensor[] Split(int size, int dim)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        var d = ShapeMath.NormalizeDim(dim, Rank, "Split");
        var pieces = new List<Tensor>();
        for (var start = 0; start < _shape[d]; start += size)
        {
            pieces.Add(Narrow(d, start, Math.Min(size, _shape[d] - start)));
        }

        return [.. pieces];
    }

    /// <summary><paramref name="chunks"/> pieces of equal size (the last may be smaller) along <paramref name="dim"/>.</summary>
    public Tensor[] Chunk(int chunks, int dim)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunks);
        var d = ShapeMath.NormalizeDim(dim, Rank, "Chunk");
        return Split(Math.Max(1, (_shape[d] + chunks - 1) / chunks), d);
    }

    /// <summary>Joins tensors along an existing dimension; all other sizes must match.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> tensors, int dim)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0)
        {
            throw new ArgumentException("Concat needs at least one tensor.", nameof(tensors));
        }

        var first = tensors[0];
        var d = ShapeMath.NormalizeDim(dim, first.Rank, "Concat");
        var shape = (int[])first._shape.Clone();
        shape[d] = 0;
        for (var t = 0; t < tensors.Count; t++)
        {
            var x = tensors[t];
            var compatible = x.Rank == first.Rank;
            for (var i = 0; compatible && i < x.Rank; i++)
            {
                compatible = i == d || x._shape[i] == first._shape[i];
            }

            if (!compatible)
            {
                throw new TensorShapeException($"Concat along dim {d}: tensor {t} has shape {ShapeMath.Format(x._shape)}, incompatible with {ShapeMath.Format(first._shape)}.");
            }

            shape[d] += x._shape[d];
        }

        var result = Zeros(shape);
        var offset = 0;
        foreach (var x in tensors)
        {
            using (NoGrad())
            {
                CopyInto(result.Narrow(d, offset, x._shape[d]), x);
            }

            offset += x._shape[d];
        }

        return Record(result, new ConcatOp([.. tensors], d), [.. tensors]);
    }

    /// <summary>Joins same-shaped tensors along a new dimension.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int dim)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var unsqueezed = new Tensor[tensors.Count];
        for (var i = 0; i < unsqueezed.Length; i++)
        {
            if (!ShapeMath.SameShape(tensors[i]._shape, tensors[0]._shape))
            {
                throw new TensorShapeException($"Stack: tensor {i} has shape {ShapeMath.Format(tensors[i]._shape)}; expected {ShapeMath.Format(tensors[0]._shape)}.");
            }

            unsqueezed[i] = tensors[i].Unsqueeze(dim);
        }

        return Concat(unsqueezed, dim);
    }

    /// <summary>Starts a scope in which operations record no autograd graph: <c>using (Tensor.NoGrad()) { … }</c>.</summary>
    public static NoGradScope NoGrad() => NoGradScope.Begin();
}
