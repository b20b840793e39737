namespace Loom.Training.Objectives;

/// <summary>The sentence-level objective of a <see cref="SentencePairCollator"/>.</summary>
public enum SentencePairTask
{
    /// <summary>BERT next-sentence prediction: label 1 when segment B is a random sentence of another document, 0 when it is the true next sentence.</summary>
    NextSentence,

    /// <summary>ALBERT sentence-order prediction: label 1 when the two consecutive segments are swapped, 0 when in order.</summary>
    SentenceOrder,
}
