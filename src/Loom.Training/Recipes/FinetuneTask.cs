namespace Loom.Training.Recipes;

/// <summary>What `loom train finetune` trains: a BERT task head, or a whole encoder-decoder.</summary>
public enum FinetuneTask
{
    /// <summary>One label per text (BertForSequenceClassification): accuracy and macro-F1.</summary>
    Classification,

    /// <summary>One tag per character (BertForTokenClassification, NER): seqeval entity F1.</summary>
    TokenClassification,

    /// <summary>Answer spans in a passage (BertForQuestionAnswering, SQuAD / CMRC 2018): EM and F1.</summary>
    QuestionAnswering,

    /// <summary>A target text per source text (BART / T5 ForConditionalGeneration): greedy decoding scored with BLEU and ROUGE-L.</summary>
    Seq2Seq,
}
