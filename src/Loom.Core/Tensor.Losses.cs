// Fused softmax cross-entropy with ignore_index and label smoothing (torch.nn.functional.cross_entropy semantics),
// and inverted dropout (Srivastava et al. 2014) driven by an explicit generator.
using Loom.Core.Autograd;
using Loom.Kernels;

namespace Loom.Core;

public sealed partial class Tensor
{
    /// <summary>
    /// Cross-entropy between logits (…, V) and class targets (…) — or (N, V) and (N). Targets equal to
    /// <paramref name="ignoreIndex"/> contribute nothing and are not counted by <see cref="Reduction.Mean"/>
    /// (a batch with every target ignored gives 0, not NaN).
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, IntTensor targets, int ignoreIndex = -100, float labelSmoothing = 0f,
        Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        if (logits.Rank < 1 || !ShapeMath.SameShape(logits._shape[..^1], targets.ShapeArray))
        {
            throw new TensorShapeException($"CrossEntropy: logits {ShapeMath.Format(logits._shape)} must be targets {ShapeMath.Format(targets.ShapeArray)} plus a class dimension.");
        }

        if (labelSmoothing is < 0f or > 1f)
        {
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "Label smoothing must be in [0, 1].");
        }

        var v = logits._shape[^1];
        var rows = targets.Count;
        var x = logits.Materialize();
        var record = WillRecord(logits);
        var grad = record ? Uninitialized(logits.Count) : null; // every row written below: its gradient, or zeros when ignored
        var losses = new float[rows];
        var counted = 0;
        for (var r = 0; r < rows; r++)
        {
            var t = targets.Data[r];
            if (t != ignoreIndex && (uint)t >= (uint)v)
            {
                throw new TensorIndexException($"CrossEntropy: target {t} at position {r} is outside [0, {v}) (and is not the ignore index {ignoreIndex}).");
            }

            counted += t == ignoreIndex ? 0 : 1;
        }

        ParallelRows.For(rows, v, (start, end) =>
        {
            var xs = x.ReadSpan();
            var scratch = grad is null ? new float[v] : null; // without a gradient to keep, one row's worth
            for (var r = start; r < end; r++)
            {
                var t = targets.Data[r];
                var rowGrad = grad is null ? scratch : grad.AsSpan(r * v, v);
                if (t != ignoreIndex)
                {
                    losses[r] = CrossEntropyKernel.Forward(xs.Slice(r * v, v), t, labelSmoothing, rowGrad);
                }
                else
                {
                    rowGrad.Clear();
                }
            }
        });

        Tensor result;
        var scale = 1f;
        if (reduction == Reduction.None)
        {
            result = new Tensor(losses, (int[])targets.ShapeArray.Clone());
        }
        else
        {
            var total = 0d;
            foreach (var l in losses)
            {
                total += l;
            }

            scale = reduction == Reduction.Mean && counted > 0 ? 1f / counted : 1f;
            result = Scalar((float)(total * scale));
        }

        return grad is null ? result : Record(result, new CrossEntropyOp(logits, grad, scale, reduction == Reduction.None), logits);
    }

    /// <summary>
    /// Zeroes each element with probability <paramref name="p"/> and scales survivors by 1/(1 − p). Returns the input
    /// unchanged when p = 0 (callers skip dropout in eval mode).
    /// </summary>
    public Tensor Dropout(float p, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (p is < 0f or > 1f)
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout probability must be in [0, 1].");
        }

        if (p == 0f)
        {
            return this;
        }

        var keep = new float[Count];
        var scale = p == 1f ? 0f : 1f / (1f - p);
        for (var i = 0; i < keep.Length; i++)
        {
            keep[i] = generator.NextSingle() >= p ? scale : 0f;
        }

        return this * new Tensor(keep, (int[])_shape.Clone());
    }
}
