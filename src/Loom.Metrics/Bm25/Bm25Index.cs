// Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond" (2009); Lv & Zhai, "Lower-Bounding
// Term Frequency Normalization" (CIKM 2011); reference implementation followed: dorianbrown/rank_bm25 rank_bm25.py
// (HEAD 47aa3dd and tag 0.2.2).
namespace Loom.Metrics.Bm25;

/// <summary>
/// BM25 scoring over a pre-tokenised corpus with the exact semantics of rank_bm25 (github dorianbrown/rank_bm25,
/// <c>rank_bm25.py</c>; Robertson &amp; Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond", 2009;
/// Lv &amp; Zhai, "Lower-bounding term frequency normalization", CIKM 2011). Repeated query terms count each time,
/// terms absent from the corpus contribute <c>0 × (…)</c> (so an empty document with <c>b = 1</c> scores NaN, as
/// numpy gives), and the arithmetic follows numpy's operation order so scores match to the last bit.
/// </summary>
public sealed class Bm25Index
{
    private readonly Bm25Options _options;
    private readonly List<Dictionary<string, int>> _termFrequencies = [];
    private readonly int[] _documentLengths;
    private readonly Dictionary<string, double> _idf = new(StringComparer.Ordinal);
    private readonly double _epsilon;
    private readonly double _delta;

    /// <summary>Indexes <paramref name="corpus"/> (one token list per document).</summary>
    public Bm25Index(IReadOnlyList<IReadOnlyList<string>> corpus, Bm25Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        _options = options ?? new Bm25Options();
        _epsilon = _options.Epsilon ?? 0.25;
        _delta = _options.Delta ?? (_options.Variant == Bm25Variant.L ? 0.5 : 1.0);
        if (corpus.Count == 0)
        {
            throw new MetricException("BM25 needs at least one document, found an empty corpus (division by zero in the average document length).");
        }

        _documentLengths = new int[corpus.Count];
        var documentFrequency = new Dictionary<string, int>(StringComparer.Ordinal);
        var firstSeen = new List<string>();
        long totalLength = 0;
        for (var d = 0; d < corpus.Count; d++)
        {
            var frequencies = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var word in corpus[d])
            {
                frequencies[word] = frequencies.GetValueOrDefault(word) + 1;
            }

            foreach (var word in corpus[d].Distinct(StringComparer.Ordinal))
            {
                if (documentFrequency.TryGetValue(word, out var df))
                {
                    documentFrequency[word] = df + 1;
                }
                else
                {
                    documentFrequency[word] = 1;
                    firstSeen.Add(word);
                }
            }

            _termFrequencies.Add(frequencies);
            _documentLengths[d] = corpus[d].Count;
            totalLength += corpus[d].Count;
        }

        AverageDocumentLength = (double)totalLength / corpus.Count;
        ComputeIdf(firstSeen, documentFrequency);
    }

    /// <summary>Number of documents.</summary>
    public int CorpusSize => _documentLengths.Length;

    /// <summary>Mean document length in tokens.</summary>
    public double AverageDocumentLength { get; }

    /// <summary>Length of each document.</summary>
    public IReadOnlyList<int> DocumentLengths => _documentLengths;

    /// <summary>Okapi only: the mean idf over all corpus terms, before negative idfs are floored; NaN otherwise.</summary>
    public double AverageIdf { get; private set; } = double.NaN;

    /// <summary>The idf of a corpus term, or null when the term does not occur in the corpus.</summary>
    public double? Idf(string term) => _idf.TryGetValue(term, out var idf) ? idf : null;

    private void ComputeIdf(List<string> words, Dictionary<string, int> documentFrequency)
    {
        var n = CorpusSize;
        switch (_options.Variant)
        {
            case Bm25Variant.Okapi:
                {
                    if (words.Count == 0)
                    {
                        throw new MetricException("BM25Okapi needs at least one term in the corpus, found only empty documents (division by zero in the average idf).");
                    }

                    double sum = 0;
                    var negative = new List<string>();
                    foreach (var word in words)
                    {
                        var df = documentFrequency[word];
                        var idf = Math.Log(n - df + 0.5) - Math.Log(df + 0.5);
                        _idf[word] = idf;
                        sum += idf;
                        if (idf < 0)
                        {
                            negative.Add(word);
                        }
                    }

                    AverageIdf = sum / words.Count;
                    var floor = _epsilon * AverageIdf;
                    foreach (var word in negative)
                    {
                        _idf[word] = floor;
                    }

                    break;
                }

            case Bm25Variant.L:
                foreach (var word in words)
                {
                    _idf[word] = Math.Log(n + 1) - Math.Log(documentFrequency[word] + 0.5);
                }

                break;
            default:
                foreach (var word in words)
                {
                    var df = documentFrequency[word];
                    _idf[word] = _options.Compatibility == Bm25Compatibility.PyPi022
                        ? Math.Log((n + 1) / (double)df)
                        : Math.Log(n + 1) - Math.Log(df);
                }

                break;
        }
    }

    /// <summary>Scores of every document for <paramref name="query"/> (rank_bm25's <c>get_scores</c>).</summary>
    public double[] GetScores(IReadOnlyList<string> query) =>
        ScoreDocuments(query, Enumerable.Range(0, CorpusSize).ToArray());

    /// <summary>
    /// Scores of the documents <paramref name="documentIds"/> only (rank_bm25's <c>get_batch_scores</c>); negative ids
    /// count from the end as Python indexing does.
    /// </summary>
    public double[] GetBatchScores(IReadOnlyList<string> query, IReadOnlyList<int> documentIds)
    {
        ArgumentNullException.ThrowIfNull(documentIds);
        var resolved = new int[documentIds.Count];
        for (var i = 0; i < documentIds.Count; i++)
        {
            var id = documentIds[i];
            if (id >= CorpusSize || id < -CorpusSize)
            {
                throw new MetricException($"Document id {id} at position {i} is out of range: expected -{CorpusSize} <= id < {CorpusSize}.");
            }

            resolved[i] = id < 0 ? id + CorpusSize : id;
        }

        return ScoreDocuments(query, resolved);
    }

    private double[] ScoreDocuments(IReadOnlyList<string> query, int[] documents)
    {
        ArgumentNullException.ThrowIfNull(query);
        var k1 = _options.K1;
        var b = _options.B;
        var scores = new double[documents.Length];
        foreach (var term in query)
        {
            var idf = _idf.TryGetValue(term, out var value) ? value : 0.0;
            for (var i = 0; i < documents.Length; i++)
            {
                double tf = _termFrequencies[documents[i]].GetValueOrDefault(term);
                var lengthNorm = 1 - b + b * _documentLengths[documents[i]] / AverageDocumentLength;
                scores[i] += _options.Variant switch
                {
                    Bm25Variant.Okapi => idf * (tf * (k1 + 1) / (tf + k1 * lengthNorm)),
                    Bm25Variant.L => LScore(idf, tf, lengthNorm, k1),
                    _ => idf * (_delta + tf * (k1 + 1) / (k1 * lengthNorm + tf)),
                };
            }
        }

        return scores;
    }

    private double LScore(double idf, double tf, double lengthNorm, double k1)
    {
        var ctd = tf / lengthNorm;
        return _options.Compatibility == Bm25Compatibility.PyPi022
            ? idf * tf * (k1 + 1) * (ctd + _delta) / (k1 + ctd + _delta)
            : idf * (k1 + 1) * (ctd + _delta) / (k1 + ctd + _delta);
    }
}
