// Captioning ROUGE-L as pycocoevalcap 1.2 computes it (salaniz/pycocoevalcap rouge/rouge.py, after Lin 2004,
// "ROUGE: A Package for Automatic Evaluation of Summaries"): LCS on tokens split on the single space character,
// precision and recall maximised separately over the references, F with beta = 1.2, numpy mean over images.
using Loom.Metrics.Text;

namespace Loom.Metrics.Captioning;

/// <summary>pycocoevalcap-compatible ROUGE-L.</summary>
public static class CocoRougeL
{
    private const double Beta = 1.2;

    /// <summary>Per-image ROUGE-L and their numpy mean.</summary>
    public static CaptionScores Compute(IReadOnlyList<CaptionExample> examples)
    {
        CaptionExample.Validate(examples, "ROUGE-L");
        var scores = examples.Select(e => Score(e.Hypothesis, e.References)).ToArray();
        return new CaptionScores(NumpySum.Mean(scores), scores);
    }

    /// <summary>ROUGE-L of one candidate against its references.</summary>
    public static double Score(string candidate, IReadOnlyList<string> references)
    {
        var c = candidate.Split(' ');
        var maxPrecision = double.NegativeInfinity;
        var maxRecall = double.NegativeInfinity;
        foreach (var reference in references)
        {
            var r = reference.Split(' ');
            var lcs = LongestCommonSubsequence(r, c);
            maxPrecision = Math.Max(maxPrecision, lcs / (double)c.Length);
            maxRecall = Math.Max(maxRecall, lcs / (double)r.Length);
        }
        if (maxPrecision == 0 || maxRecall == 0)
        {
            return 0.0;
        }
        var beta2 = Math.Pow(Beta, 2);
        return (1 + beta2) * maxPrecision * maxRecall / (maxRecall + beta2 * maxPrecision);
    }

    private static int LongestCommonSubsequence(string[] a, string[] b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = a[i - 1] == b[j - 1] ? previous[j - 1] + 1 : Math.Max(previous[j], current[j - 1]);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
