namespace Loom.Training.Recipes;

/// <summary>What `loom train finetune` trains on top of a BERT encoder.</summary>
public enum FinetuneTask
{
    /// <summary>One label per text (BertForSequenceClassification): accuracy and macro-F1.</summary>
    Classification,

    /// <summary>One tag per character (BertForTokenClassification, NER): seqeval entity F1.</summary>
    TokenClassification,

    /// <summary>Answer spans in a passage (BertForQuestionAnswering, SQuAD / CMRC 2018): EM and F1.</summary>
    QuestionAnswering,
}
