// Fused softmax, log-softmax, layer norm and RMS norm over the last dimension, each one kernel call per row
// (Loom.Kernels.SoftmaxKernel / LayerNormKernel / RmsNormKernel) and one autograd record.
using Loom.Core.Autograd;
using Loom.Kernels;

namespace Loom.Core;

public sealed partial class Tensor
{
    /// <summary>Softmax along <paramref name="dim"/>.</summary>
    public Tensor Softmax(int dim) => AlongLast(dim, static x => x.RowWise(log: false));

    /// <summary>Log-softmax along <paramref name="dim"/>.</summary>
    public Tensor LogSoftmax(int dim) => AlongLast(dim, static x => x.RowWise(log: true));

    /// <summary>Layer norm over the last dimension (C) with optional weight (C) and bias (C).</summary>
    public Tensor LayerNorm(Tensor? weight, Tensor? bias, float eps = 1e-5f)
    {
        var c = LastDim("LayerNorm");
        CheckAffine(weight, c, "LayerNorm weight");
        CheckAffine(bias, c, "LayerNorm bias");
        var (x, w, b) = (Materialize(), weight?.Materialize(), bias?.Materialize());
        var rows = c == 0 ? 0 : Count / c;
        var data = Uninitialized(Count);
        var mean = new float[rows];
        var rstd = new float[rows];
        ParallelRows.For(rows, c, (start, end) =>
        {
            var xs = x.ReadSpan();
            var ws = w is null ? [] : w.ReadSpan();
            var bs = b is null ? [] : b.ReadSpan();
            for (var r = start; r < end; r++)
            {
                LayerNormKernel.Forward(xs.Slice(r * c, c), ws, bs, eps, data.AsSpan(r * c, c), out mean[r], out rstd[r]);
            }
        });

        var result = new Tensor(data, (int[])_shape.Clone());
        return Record(result, new LayerNormOp(this, weight, bias, mean, rstd), InputsOf(this, weight, bias));
    }

    /// <summary>RMS norm over the last dimension (C) with optional weight (C).</summary>
    public Tensor RmsNorm(Tensor? weight, float eps = 1e-6f)
    {
        var c = LastDim("RmsNorm");
        CheckAffine(weight, c, "RmsNorm weight");
        var (x, w) = (Materialize(), weight?.Materialize());
        var rows = c == 0 ? 0 : Count / c;
        var data = Uninitialized(Count);
        var rstd = new float[rows];
        ParallelRows.For(rows, c, (start, end) =>
        {
            var xs = x.ReadSpan();
            var ws = w is null ? [] : w.ReadSpan();
            for (var r = start; r < end; r++)
            {
                RmsNormKernel.Forward(xs.Slice(r * c, c), ws, eps, data.AsSpan(r * c, c), out rstd[r]);
            }
        });

        var result = new Tensor(data, (int[])_shape.Clone());
        return Record(result, new RmsNormOp(this, weight, rstd), InputsOf(this, weight, null));
    }

    internal static Tensor[] InputsOf(Tensor x, Tensor? a, Tensor? b) => (a, b) switch
    {
        (null, null) => [x],
        (null, _) => [x, b],
        (_, null) => [x, a],
        _ => [x, a, b],
    };

    private Tensor AlongLast(int dim, Func<Tensor, Tensor> rowOp)
    {
        var d = ShapeMath.NormalizeDim(dim, Math.Max(Rank, 1), "Softmax");
        if (Rank == 0)
        {
            return rowOp(Reshape(1)).Reshape();
        }

        return d == Rank - 1 ? rowOp(this) : rowOp(Transpose(d, -1)).Transpose(d, -1);
    }

    private Tensor RowWise(bool log)
    {
        var c = _shape[^1];
        var x = Materialize();
        var data = Uninitialized(Count);
        ParallelRows.For(c == 0 ? 0 : Count / c, c, (start, end) =>
        {
            var xs = x.ReadSpan();
            for (var r = start; r < end; r++)
            {
                if (log)
                {
                    SoftmaxKernel.LogForward(xs.Slice(r * c, c), data.AsSpan(r * c, c));
                }
                else
                {
                    SoftmaxKernel.Forward(xs.Slice(r * c, c), data.AsSpan(r * c, c));
                }
            }
        });

        var result = new Tensor(data, (int[])_shape.Clone());
        return Record(result, log ? new LogSoftmaxOp(this) : new SoftmaxOp(this), this);
    }

    private int LastDim(string where)
    {
        if (Rank == 0)
        {
            throw new TensorShapeException($"{where}: expected a tensor of rank ≥ 1; found a scalar.");
        }

        return _shape[^1];
    }

    private static void CheckAffine(Tensor? p, int c, string where)
    {
        if (p is not null && (p.Rank != 1 || p._shape[0] != c))
        {
            throw new TensorShapeException($"{where}: expected shape [{c}]; found {ShapeMath.Format(p._shape)}.");
        }
    }
}
