// The losses of HF's BERT heads (modeling_bert.py): token-level cross-entropy with −100 ignored (MLM, token
// classification), and the sequence-classification loss chosen by problem_type.
using Loom.Core;
using Loom.Nn;

namespace Loom.Models.Bert;

/// <summary>Loss helpers shared by the BERT heads.</summary>
public static class BertLosses
{
    /// <summary>logits (…, N) against labels of the same leading shape, −100 ignored, mean over counted positions.</summary>
    public static Tensor TokenCrossEntropy(Tensor logits, IntTensor labels, int ignoreIndex = -100)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        var n = logits.Size(-1);
        var rows = logits.Shape.Take(logits.Rank - 1).Aggregate(1, (a, b) => a * b);
        if (labels.Count != rows)
        {
            throw new TensorShapeException($"BERT loss: expected {rows} labels for logits [{string.Join(", ", logits.Shape)}]; found labels [{string.Join(", ", labels.Shape)}].");
        }

        return Losses.CrossEntropy(logits.Reshape(rows, n), labels.Reshape(rows), ignoreIndex); // (rows, N)
    }

    /// <summary>
    /// HF's choice: the configured <paramref name="configured"/> problem type when set, else regression for one
    /// label, single-label classification for integer labels and multi-label classification for float labels.
    /// </summary>
    public static BertProblemType InferProblemType(string? configured, int numLabels, bool integerLabels) => configured switch
    {
        "regression" => BertProblemType.Regression,
        "single_label_classification" => BertProblemType.SingleLabelClassification,
        "multi_label_classification" => BertProblemType.MultiLabelClassification,
        null => numLabels == 1 ? BertProblemType.Regression
            : integerLabels ? BertProblemType.SingleLabelClassification
            : BertProblemType.MultiLabelClassification,
        _ => throw new ModelLoadException($"BERT config: expected problem_type regression, single_label_classification or multi_label_classification; found \"{configured}\"."),
    };

    /// <summary>
    /// The sequence-classification loss of logits (B, N): <paramref name="classIds"/> (B) for single-label, or
    /// <paramref name="targets"/> (B) / (B, N) floats for regression and multi-label.
    /// </summary>
    public static Tensor SequenceClassification(Tensor logits, BertProblemType problem, IntTensor? classIds, Tensor? targets)
    {
        ArgumentNullException.ThrowIfNull(logits);
        var (b, n) = (logits.Size(0), logits.Size(1));
        switch (problem)
        {
            case BertProblemType.SingleLabelClassification:
                var ids = classIds ?? throw new ArgumentException($"Single-label classification: expected integer class ids (B) = [{b}]; found float targets.", nameof(classIds));
                return TokenCrossEntropy(logits, ids);
            case BertProblemType.Regression:
                var values = targets ?? classIds?.ToFloat() ?? throw new ArgumentNullException(nameof(targets));
                return n == 1
                    ? Losses.Mse(logits.Reshape(b), values.Reshape(b)) // (B)
                    : Losses.Mse(logits, values.Reshape(b, n)); // (B, N)
            case BertProblemType.MultiLabelClassification:
                var multi = targets ?? classIds?.ToFloat() ?? throw new ArgumentNullException(nameof(targets));
                return Losses.BceWithLogits(logits, multi.Reshape(b, n)); // (B, N)
            default:
                throw new ArgumentOutOfRangeException(nameof(problem), problem, "Unknown problem type.");
        }
    }
}
