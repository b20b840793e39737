// How BertForSequenceClassification chooses its loss (HF modeling_bert.BertForSequenceClassification.forward): the
// configured problem_type, else regression for one label, single-label for integer labels, multi-label otherwise.
namespace Loom.Models.Bert;

/// <summary>The loss of a sequence-classification head.</summary>
public enum BertProblemType
{
    /// <summary>Mean squared error on the logits.</summary>
    Regression,

    /// <summary>Softmax cross-entropy against one class id per row.</summary>
    SingleLabelClassification,

    /// <summary>Binary cross-entropy with logits against a 0/1 target per class.</summary>
    MultiLabelClassification,
}
