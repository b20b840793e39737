// Reductions: the reduced dimensions are moved last (a permuted view, made contiguous once), then each row is
// reduced with TensorPrimitives. Row order and summation order are fixed, so results do not depend on threads.
using System.Numerics.Tensors;
using Loom.Core.Autograd;

namespace Loom.Core;

public sealed partial class Tensor
{
    /// <summary>Sum of all elements (a rank-0 tensor).</summary>
    public Tensor Sum() => Sum(AllDims(), keepDim: false);

    /// <summary>Sum over one dimension.</summary>
    public Tensor Sum(int dim, bool keepDim = false) => Sum([dim], keepDim);

    /// <summary>Sum over several dimensions.</summary>
    public Tensor Sum(int[] dims, bool keepDim)
    {
        var (reduced, kept, outShape) = ReductionPlan(dims, keepDim, "Sum");
        var data = new float[outShape.Length == 0 ? 1 : ShapeMath.CountOf(outShape, "Sum")];
        if (IsContiguous && reduced.Length > 0 && reduced.Length < Rank && reduced[^1] == reduced.Length - 1 && data.Length > 0)
        {
            // Leading dimensions of a contiguous tensor (bias gradients): add whole rows in order.
            var x = AsSpan();
            for (var start = 0; start < x.Length; start += data.Length)
            {
                TensorPrimitives.Add(data, x.Slice(start, data.Length), data);
            }
        }
        else
        {
            var rows = ReduceRows(reduced, kept, out var rowLength);
            for (var r = 0; r < data.Length; r++)
            {
                data[r] = TensorPrimitives.Sum(rows.Slice(r * rowLength, rowLength));
            }
        }

        return Record(new Tensor(data, outShape), new SumOp(this, reduced), this);
    }

    /// <summary>Mean of all elements.</summary>
    public Tensor Mean() => Mean(AllDims(), keepDim: false);

    /// <summary>Mean over one dimension.</summary>
    public Tensor Mean(int dim, bool keepDim = false) => Mean([dim], keepDim);

    /// <summary>Mean over several dimensions.</summary>
    public Tensor Mean(int[] dims, bool keepDim)
    {
        var sum = Sum(dims, keepDim);
        var n = Count / Math.Max(sum.Count, 1);
        return sum * (1f / n);
    }

    /// <summary>Variance over one dimension; <paramref name="unbiased"/> divides by n − 1 (torch.var's default).</summary>
    public Tensor Variance(int dim, bool keepDim = false, bool unbiased = true)
    {
        var d = ShapeMath.NormalizeDim(dim, Rank, "Variance");
        var centered = this - Mean(d, keepDim: true);
        var n = _shape[d] - (unbiased ? 1 : 0);
        return (centered * centered).Sum(d, keepDim) * (1f / n);
    }

    /// <summary>Maximum along one dimension.</summary>
    public Tensor Max(int dim, bool keepDim = false) => SelectAlong(dim, ArgMax(dim, keepDim: true), keepDim);

    /// <summary>Minimum along one dimension.</summary>
    public Tensor Min(int dim, bool keepDim = false) => SelectAlong(dim, ArgMin(dim, keepDim: true), keepDim);

    /// <summary>Index of the first maximum along one dimension.</summary>
    public IntTensor ArgMax(int dim, bool keepDim = false) => ArgExtremum(dim, keepDim, max: true);

    /// <summary>Index of the first minimum along one dimension.</summary>
    public IntTensor ArgMin(int dim, bool keepDim = false) => ArgExtremum(dim, keepDim, max: false);

    private Tensor SelectAlong(int dim, IntTensor index, bool keepDim)
    {
        var values = Gather(dim, index);
        return keepDim ? values : values.Squeeze(dim);
    }

    private IntTensor ArgExtremum(int dim, bool keepDim, bool max)
    {
        var (reduced, kept, outShape) = ReductionPlan([dim], keepDim, max ? "ArgMax" : "ArgMin");
        if (_shape[reduced[0]] == 0)
        {
            throw new TensorShapeException($"{(max ? "ArgMax" : "ArgMin")}: dimension {dim} is empty.");
        }

        var rows = ReduceRows(reduced, kept, out var rowLength);
        var data = new int[outShape.Length == 0 ? 1 : ShapeMath.CountOf(outShape, "ArgMax")];
        for (var r = 0; r < data.Length; r++)
        {
            var row = rows.Slice(r * rowLength, rowLength);
            data[r] = max ? TensorPrimitives.IndexOfMax(row) : TensorPrimitives.IndexOfMin(row);
        }

        return IntTensor.FromArray(data, outShape.Length == 0 ? [1] : outShape);
    }

    private int[] AllDims()
    {
        var dims = new int[Rank];
        for (var i = 0; i < Rank; i++)
        {
            dims[i] = i;
        }

        return dims;
    }

    private (int[] Reduced, int[] Kept, int[] OutShape) ReductionPlan(int[] dims, bool keepDim, string where)
    {
        ArgumentNullException.ThrowIfNull(dims);
        var isReduced = new bool[Rank];
        foreach (var dim in dims)
        {
            isReduced[ShapeMath.NormalizeDim(dim, Rank, where)] = true;
        }

        var reduced = new List<int>();
        var kept = new List<int>();
        var outShape = new List<int>();
        for (var i = 0; i < Rank; i++)
        {
            (isReduced[i] ? reduced : kept).Add(i);
            if (!isReduced[i])
            {
                outShape.Add(_shape[i]);
            }
            else if (keepDim)
            {
                outShape.Add(1);
            }
        }

        return ([.. reduced], [.. kept], [.. outShape]);
    }

    /// <summary>The elements laid out as rows of the reduced dimensions, one row per kept position.</summary>
    private ReadOnlySpan<float> ReduceRows(int[] reduced, int[] kept, out int rowLength)
    {
        rowLength = 1;
        foreach (var d in reduced)
        {
            rowLength *= _shape[d];
        }

        var perm = new int[Rank];
        kept.CopyTo(perm, 0);
        reduced.CopyTo(perm, kept.Length);
        using (NoGrad())
        {
            return Permute(perm).ReadSpan();
        }
    }
}
