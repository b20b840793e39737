// BLEU (Papineni et al., 2002, "BLEU: a Method for Automatic Evaluation of Machine Translation") exactly as
// sacrebleu 2.6.0 computes it. Reference: sacrebleu/metrics/bleu.py (`compute_bleu`, `_get_closest_ref_len`,
// `_extract_reference_info`, `_compute_segment_statistics`) and sacrebleu/metrics/base.py (corpus/sentence flow).
// Smoothing: Chen & Cherry (2014), "A Systematic Comparison of Smoothing Techniques for Sentence-Level BLEU".
using Loom.Metrics.Text;
namespace Loom.Metrics.Bleu;

/// <summary>sacrebleu-compatible corpus and sentence BLEU.</summary>
public sealed class SacreBleu
{
    private readonly SacreBleuOptions _options;
    private readonly IBleuTokenizer _tokenizer;

    /// <summary>Creates a scorer; throws for an unknown tokenizer or a non-positive n-gram order.</summary>
    public SacreBleu(SacreBleuOptions? options = null)
    {
        _options = options ?? new SacreBleuOptions();
        if (_options.MaxNgramOrder < 1)
        {
            throw new MetricException($"MaxNgramOrder must be at least 1, found {_options.MaxNgramOrder}.");
        }
        _tokenizer = BleuTokenizers.Create(_options.Tokenize);
    }

    /// <summary>Lower-cases (optionally), right-strips and tokenizes one segment as sacrebleu does.</summary>
    public string Preprocess(string segment)
    {
        if (_options.Lowercase)
        {
            segment = PyText.Lower(segment);
        }
        return _tokenizer.Tokenize(PyText.RStrip(segment));
    }

    /// <summary>Sentence BLEU of one hypothesis against its references.</summary>
    public BleuScore SentenceScore(string hypothesis, IReadOnlyList<string> references) =>
        CorpusScore([hypothesis], ReferenceStreams.ForSentence(references));

    /// <summary>Corpus BLEU; <paramref name="referenceStreams"/>[k][i] is the k-th reference of segment i (null: none).</summary>
    public BleuScore CorpusScore(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string?>> referenceStreams)
    {
        var (bySegment, numRefs) = ReferenceStreams.BySegment(hypotheses.Count, referenceStreams);
        var order = _options.MaxNgramOrder;
        var correct = new long[order];
        var total = new long[order];
        long sysLen = 0, refLen = 0;
        for (var i = 0; i < hypotheses.Count; i++)
        {
            var hypTokens = PyText.Split(Preprocess(hypotheses[i]));
            var refTokens = bySegment[i].Select(r => PyText.Split(Preprocess(r))).ToList();
            sysLen += hypTokens.Count;
            refLen += ClosestReferenceLength(hypTokens.Count, refTokens.Select(t => t.Count));
            for (var n = 1; n <= order; n++)
            {
                var refMax = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var tokens in refTokens)
                {
                    foreach (var (ngram, count) in WordNGrams.Count(tokens, n))
                    {
                        refMax[ngram] = Math.Max(refMax.GetValueOrDefault(ngram), count);
                    }
                }
                foreach (var (ngram, count) in WordNGrams.Count(hypTokens, n))
                {
                    total[n - 1] += count;
                    correct[n - 1] += Math.Min(count, refMax.GetValueOrDefault(ngram));
                }
            }
        }
        return Compute(correct, total, sysLen, refLen, BuildSignature(numRefs));
    }

    /// <summary>The closest reference length; ties go to the shorter reference.</summary>
    public static long ClosestReferenceLength(long hypLength, IEnumerable<int> referenceLengths)
    {
        long closestDiff = -1, closestLen = -1;
        foreach (var len in referenceLengths)
        {
            var diff = Math.Abs(hypLength - len);
            if (closestDiff == -1 || diff < closestDiff)
            {
                closestDiff = diff;
                closestLen = len;
            }
            else if (diff == closestDiff && len < closestLen)
            {
                closestLen = len;
            }
        }
        return closestLen;
    }

    private BleuScore Compute(long[] correctCounts, long[] totalCounts, long sysLen, long refLen, SacreSignature signature)
    {
        var order = _options.MaxNgramOrder;
        var smoothValue = _options.SmoothValue ?? DefaultSmoothValue(_options.Smoothing);
        var bp = sysLen < refLen ? (sysLen > 0 ? Math.Exp(1 - (double)refLen / sysLen) : 0.0) : 1.0;
        var correct = correctCounts.Select(c => (double)c).ToArray();
        var total = totalCounts.Select(c => (double)c).ToArray();
        var precisions = new double[order];
        if (correctCounts.All(c => c == 0))
        {
            return new BleuScore(0.0, correct, total, precisions, bp, sysLen, refLen, signature);
        }

        var smoothMteval = 1.0;
        var effectiveOrder = order;
        for (var n = 1; n <= order; n++)
        {
            if (_options.Smoothing == BleuSmoothing.AddK && n > 1)
            {
                correct[n - 1] += smoothValue;
                total[n - 1] += smoothValue;
            }
            if (total[n - 1] == 0)
            {
                break;
            }
            if (_options.EffectiveOrder)
            {
                effectiveOrder = n;
            }
            if (correct[n - 1] == 0)
            {
                if (_options.Smoothing == BleuSmoothing.Exp)
                {
                    smoothMteval *= 2;
                    precisions[n - 1] = 100.0 / (smoothMteval * total[n - 1]);
                }
                else if (_options.Smoothing == BleuSmoothing.Floor)
                {
                    precisions[n - 1] = 100.0 * smoothValue / total[n - 1];
                }
            }
            else
            {
                precisions[n - 1] = 100.0 * correct[n - 1] / total[n - 1];
            }
        }

        var logSum = 0.0;
        for (var n = 0; n < effectiveOrder; n++)
        {
            // sacrebleu's my_log: log(0) is replaced by a huge negative number.
            logSum += precisions[n] == 0.0 ? -9999999999.0 : Math.Log(precisions[n]);
        }
        var score = bp * Math.Exp(logSum / effectiveOrder);
        return new BleuScore(score, correct, total, precisions, bp, sysLen, refLen, signature);
    }

    private static double DefaultSmoothValue(BleuSmoothing smoothing) => smoothing switch
    {
        BleuSmoothing.Floor => 0.1,
        BleuSmoothing.AddK => 1,
        _ => 0,
    };

    private SacreSignature BuildSignature(string numRefs)
    {
        var smooth = _options.Smoothing switch
        {
            BleuSmoothing.None => "none",
            BleuSmoothing.Floor => "floor",
            BleuSmoothing.AddK => "add-k",
            _ => "exp",
        };
        if (_options.Smoothing is BleuSmoothing.Floor or BleuSmoothing.AddK)
        {
            var value = _options.SmoothValue ?? DefaultSmoothValue(_options.Smoothing);
            smooth += "[" + PyFloat.Fixed(value, 2) + "]";
        }
        return new SacreSignature(numRefs)
            .Add("case", "c", _options.Lowercase ? "lc" : "mixed")
            .Add("eff", "e", SacreSignature.YesNo(_options.EffectiveOrder))
            .Add("tok", "tok", _tokenizer.Name)
            .Add("smooth", "s", smooth);
    }

    /// <summary>Parses a smoothing method name as sacrebleu spells it (none, floor, add-k, exp).</summary>
    public static BleuSmoothing ParseSmoothing(string name) => name switch
    {
        "none" => BleuSmoothing.None,
        "floor" => BleuSmoothing.Floor,
        "add-k" => BleuSmoothing.AddK,
        "exp" => BleuSmoothing.Exp,
        _ => throw new MetricException(
            $"Unknown smoothing method: expected none, floor, add-k or exp, found '{name}'."),
    };
}
