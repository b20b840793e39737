// Training losses with torch.nn.functional semantics: cross_entropy (fused core op), mse_loss and
// binary_cross_entropy_with_logits as −(y·log σ(x) + (1 − y)·log σ(−x)) with the log-sigmoids taken from a fused
// log-softmax over (0, x), which is stable for large |x| (Loom.Core has no log1p / log-sigmoid op).
using Loom.Core;

namespace Loom.Nn;

/// <summary>Loss functions returning a scalar (Mean/Sum) or per-element tensor (None).</summary>
public static class Losses
{
    private const int IgnoreIndex = -100;

    /// <summary>Softmax cross-entropy of logits (N, V) or (…, V) against class ids; see <see cref="Tensor.CrossEntropy"/>.</summary>
    public static Tensor CrossEntropy(Tensor logits, IntTensor targets, int ignoreIndex = -100, float labelSmoothing = 0f,
        Reduction reduction = Reduction.Mean) => Tensor.CrossEntropy(logits, targets, ignoreIndex, labelSmoothing, reduction);

    /// <summary>
    /// Next-token loss of a causal LM as Hugging Face computes it from unshifted labels: logits (B, T, V) at position t
    /// are scored against labels (B, T) at t + 1; label −100 is ignored; mean over the counted positions.
    /// </summary>
    public static Tensor CausalLmCrossEntropy(Tensor logits, IntTensor labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        if (logits.Rank != 3 || labels.Rank != 2 || logits.Size(0) != labels.Shape[0] || logits.Size(1) != labels.Shape[1])
        {
            throw new TensorShapeException($"CausalLmCrossEntropy: expected logits (B, T, V) and labels (B, T); found [{string.Join(", ", logits.Shape)}] and [{string.Join(", ", labels.Shape)}].");
        }

        // Each position is scored against the next label and the last against the ignore index: the same loss (ignored
        // positions add zeros and are not counted), with the logits left whole — no (B, T−1, V) copy of them or of
        // their gradient.
        var (b, t) = (logits.Size(0), logits.Size(1));
        var all = labels.ToArray();
        var shifted = new int[b * t];
        for (var row = 0; row < b && t > 0; row++)
        {
            Array.Copy(all, (row * t) + 1, shifted, row * t, t - 1);
            shifted[(row * t) + t - 1] = IgnoreIndex;
        }

        return Tensor.CrossEntropy(logits, IntTensor.FromArray(shifted, b, t), IgnoreIndex); // logits (B, T, V), targets (B, T)
    }

    /// <summary>Mean (or summed) squared error between tensors of the same shape.</summary>
    public static Tensor Mse(Tensor prediction, Tensor target, Reduction reduction = Reduction.Mean)
    {
        CheckSameShape(prediction, target, "Mse");
        var diff = prediction - target;
        return Reduce(diff * diff, reduction);
    }

    /// <summary>Binary cross-entropy on logits x with targets y in [0, 1], stable for large |x|.</summary>
    public static Tensor BceWithLogits(Tensor logits, Tensor target, Reduction reduction = Reduction.Mean)
    {
        CheckSameShape(logits, target, "BceWithLogits");
        // log σ(x) and log(1 − σ(x)) = log σ(−x) as a stable, smooth log-softmax over the pair (0, x).
        var pair = Tensor.Stack([Tensor.ZerosLike(logits), logits], -1).LogSoftmax(-1); // (…, 2)
        var logNegative = pair.Narrow(-1, 0, 1).Squeeze(-1); // (…)
        var logPositive = pair.Narrow(-1, 1, 1).Squeeze(-1); // (…)
        return Reduce(((target * logPositive) + (target.Affine(-1f, 1f) * logNegative)).Neg(), reduction);
    }

    private static Tensor Reduce(Tensor perElement, Reduction reduction) => reduction switch
    {
        Reduction.Mean => perElement.Mean(),
        Reduction.Sum => perElement.Sum(),
        Reduction.None => perElement,
        _ => throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "Unknown reduction."),
    };

    private static void CheckSameShape(Tensor a, Tensor b, string where)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!a.Shape.SequenceEqual(b.Shape))
        {
            throw new TensorShapeException($"{where}: prediction and target must have the same shape; found [{string.Join(", ", a.Shape)}] and [{string.Join(", ", b.Shape)}].");
        }
    }
}
