// Sentence-pair objectives: next-sentence prediction (Devlin et al. 2019, BERT §3.1 task 2; google-research/bert
// create_pretraining_data.py) and sentence-order prediction (Lan et al. 2020, ALBERT §4.2). A pair is two consecutive
// sentences of one document; with probability 0.5 NSP replaces B by a sentence of another document and SOP swaps A
// and B. Pairs are laid out as [CLS] A [SEP] B [SEP] with token_type_ids 0 / 1 and truncated, longer segment first,
// from the end (BERT truncate_seq_pair; BERT also truncates from the front at random, which is left out here).
using Loom.Core;

namespace Loom.Training.Objectives;

/// <summary>Draws NSP or SOP batches from a corpus of documents split into tokenized sentences.</summary>
public sealed class SentencePairCollator
{
    private readonly IReadOnlyList<IReadOnlyList<int[]>> _documents;
    private readonly int[] _pairDocuments; // documents with at least two sentences
    private readonly Generator _rng;

    /// <summary>
    /// Creates the collator. Empty documents are allowed and ignored; at least one document needs two sentences, and
    /// NSP needs at least two non-empty documents.
    /// </summary>
    public SentencePairCollator(IReadOnlyList<IReadOnlyList<int[]>> documents, SentencePairTask task, int clsId, int sepId, int padId,
        int maxLength, Generator rng, double probability = 0.5)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(rng);
        if (maxLength < 5)
        {
            throw new ArgumentOutOfRangeException(nameof(maxLength), $"Sentence pairs: expected a maximum length ≥ 5 ([CLS] a [SEP] b [SEP]); found {maxLength}.");
        }

        _documents = documents;
        _pairDocuments = Enumerable.Range(0, documents.Count).Where(d => documents[d].Count >= 2).ToArray();
        if (_pairDocuments.Length == 0)
        {
            throw new ArgumentException("Sentence pairs: expected at least one document with two or more sentences; found none.", nameof(documents));
        }

        if (task == SentencePairTask.NextSentence && documents.Count(d => d.Count > 0) < 2)
        {
            throw new ArgumentException("Next-sentence prediction: expected at least two non-empty documents (random B comes from another one); found fewer.", nameof(documents));
        }

        Task = task;
        ClsId = clsId;
        SepId = sepId;
        PadId = padId;
        MaxLength = maxLength;
        Probability = probability;
        _rng = rng;
    }

    /// <summary>NSP or SOP.</summary>
    public SentencePairTask Task { get; }

    /// <summary>[CLS] id.</summary>
    public int ClsId { get; }

    /// <summary>[SEP] id.</summary>
    public int SepId { get; }

    /// <summary>Padding id.</summary>
    public int PadId { get; }

    /// <summary>Longest pair, special tokens included.</summary>
    public int MaxLength { get; }

    /// <summary>Probability of the label-1 case (random B / swapped).</summary>
    public double Probability { get; }

    /// <summary>
    /// A batch of <paramref name="batchSize"/> pairs with input ids, attention mask, token type ids and one sentence
    /// label per row (combine with <see cref="MaskedLmCollator.Mask"/> for BERT/ALBERT pretraining).
    /// </summary>
    public TrainingBatch NextBatch(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var rows = new int[batchSize][];
        var types = new int[batchSize][];
        var labels = new int[batchSize];
        for (var b = 0; b < batchSize; b++)
        {
            var d = _pairDocuments[_rng.NextInt(_pairDocuments.Length)];
            var sentences = _documents[d];
            var i = _rng.NextInt(sentences.Count - 1);
            var a = sentences[i];
            var next = sentences[i + 1];
            var flip = _rng.NextDouble() < Probability;
            labels[b] = flip ? 1 : 0;
            if (flip && Task == SentencePairTask.SentenceOrder)
            {
                (a, next) = (next, a);
            }
            else if (flip)
            {
                next = RandomSentenceOutside(d);
            }

            (rows[b], types[b]) = Layout(a, next);
        }

        return new TrainingBatch
        {
            InputIds = BatchPadding.Pad(rows, PadId),
            AttentionMask = BatchPadding.Mask(rows),
            TokenTypeIds = BatchPadding.Pad(types, 0),
            SentenceLabels = IntTensor.FromArray(labels),
        };
    }

    private int[] RandomSentenceOutside(int document)
    {
        while (true)
        {
            var d = _rng.NextInt(_documents.Count);
            if (d != document && _documents[d].Count > 0)
            {
                return _documents[d][_rng.NextInt(_documents[d].Count)];
            }
        }
    }

    private (int[] Ids, int[] Types) Layout(int[] a, int[] b)
    {
        var budget = MaxLength - 3;
        var (lengthA, lengthB) = (a.Length, b.Length);
        while (lengthA + lengthB > budget)
        {
            if (lengthA > lengthB)
            {
                lengthA--;
            }
            else
            {
                lengthB--;
            }
        }

        var ids = new int[lengthA + lengthB + 3];
        var types = new int[ids.Length];
        ids[0] = ClsId;
        a.AsSpan(0, lengthA).CopyTo(ids.AsSpan(1));
        ids[lengthA + 1] = SepId;
        b.AsSpan(0, lengthB).CopyTo(ids.AsSpan(lengthA + 2));
        ids[^1] = SepId;
        types.AsSpan(lengthA + 2).Fill(1);
        return (ids, types);
    }
}
