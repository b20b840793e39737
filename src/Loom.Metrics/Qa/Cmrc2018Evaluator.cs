// Cui et al., "A Span-Extraction Dataset for Chinese Machine Reading Comprehension" (EMNLP 2019); reference
// implementation followed: ymcui/cmrc2018 baseline/cmrc2018_evaluate.py (v6).
using System.Text;
using Loom.Metrics.Text;

namespace Loom.Metrics.Qa;

/// <summary>
/// The CMRC 2018 official evaluation, v6 (Cui et al., "A Span-Extraction Dataset for Chinese Machine Reading
/// Comprehension", EMNLP 2019; github ymcui/cmrc2018 <c>baseline/cmrc2018_evaluate.py</c>). Text is lower-cased and
/// stripped; each character in U+4E00..U+9FA5 or in the script's punctuation list is a segment, runs of other
/// characters go through NLTK's <c>word_tokenize</c>. F1 uses the longest common <em>contiguous</em> run of segments
/// (punctuation removed), EM compares the strings with the listed punctuation removed; both are maximised over the
/// answers.
/// </summary>
public static class Cmrc2018Evaluator
{
    // The script lists "……" as one entry; it never equals a single character, so '…' is kept.
    private static readonly HashSet<string> SpecialCharacters = new(StringComparer.Ordinal)
    {
        "-", ":", "_", "*", "^", "/", "\\", "~", "`", "+", "=",
        "，", "。", "：", "？", "！", "“", "”", "；", "’", "《", "》", "……", "·", "、",
        "「", "」", "（", "）", "－", "～", "『", "』",
    };

    /// <summary>The script's <c>mixed_segmentation(text, rm_punc)</c>.</summary>
    public static List<string> MixedSegmentation(string text, bool removePunctuation)
    {
        ArgumentNullException.ThrowIfNull(text);
        var segments = new List<string>();
        var pending = new StringBuilder();
        foreach (var rune in PyText.Strip(PyText.Lower(text)).EnumerateRunes())
        {
            var character = rune.ToString();
            var special = SpecialCharacters.Contains(character);
            if (removePunctuation && special)
            {
                continue;
            }

            if (rune.Value is >= 0x4E00 and <= 0x9FA5 || special)
            {
                FlushWords(segments, pending);
                segments.Add(character);
            }
            else
            {
                pending.Append(character);
            }
        }

        FlushWords(segments, pending);
        return segments;
    }

    private static void FlushWords(List<string> segments, StringBuilder pending)
    {
        if (pending.Length > 0)
        {
            segments.AddRange(TreebankWordTokenizer.WordTokenize(pending.ToString()));
            pending.Clear();
        }
    }

    /// <summary>The script's <c>remove_punctuation(text)</c>: lower-case, strip, drop the listed punctuation.</summary>
    public static string RemovePunctuation(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var output = new StringBuilder();
        foreach (var rune in PyText.Strip(PyText.Lower(text)).EnumerateRunes())
        {
            var character = rune.ToString();
            if (!SpecialCharacters.Contains(character))
            {
                output.Append(character);
            }
        }

        return output.ToString();
    }

    /// <summary>Maximum F1 (0–1) over <paramref name="answers"/>, by longest common contiguous segment run.</summary>
    public static double F1(IReadOnlyList<string> answers, string prediction)
    {
        ArgumentNullException.ThrowIfNull(answers);
        if (answers.Count == 0)
        {
            throw new MetricException("CMRC F1 needs at least one answer, found none (max() of an empty sequence).");
        }

        var best = double.NegativeInfinity;
        var predictionSegments = MixedSegmentation(prediction, removePunctuation: true);
        foreach (var answer in answers)
        {
            var answerSegments = MixedSegmentation(answer, removePunctuation: true);
            var lcs = LongestCommonRun(answerSegments, predictionSegments);
            var f1 = 0.0;
            if (lcs > 0)
            {
                var precision = 1.0 * lcs / predictionSegments.Count;
                var recall = 1.0 * lcs / answerSegments.Count;
                f1 = 2 * precision * recall / (precision + recall);
            }

            best = Math.Max(best, f1);
        }

        return best;
    }

    /// <summary>1 when the prediction equals some answer after punctuation removal, else 0.</summary>
    public static int ExactMatch(IReadOnlyList<string> answers, string prediction)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var cleaned = RemovePunctuation(prediction);
        return answers.Any(a => RemovePunctuation(a) == cleaned) ? 1 : 0;
    }

    /// <summary>Length of the longest common contiguous run of equal segments (the script's <c>find_lcs</c>).</summary>
    internal static int LongestCommonRun(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var previous = new int[b.Count + 1];
        var current = new int[b.Count + 1];
        var best = 0;
        for (var i = 0; i < a.Count; i++)
        {
            for (var j = 0; j < b.Count; j++)
            {
                current[j + 1] = a[i] == b[j] ? previous[j] + 1 : 0;
                best = Math.Max(best, current[j + 1]);
            }

            (previous, current) = (current, previous);
        }

        return best;
    }

    /// <summary>
    /// The script's <c>evaluate</c>: F1 and EM on the 0–100 scale over all questions, the question count and the
    /// number of questions without a prediction (which score 0).
    /// </summary>
    public static Cmrc2018Result Evaluate(IEnumerable<QaQuestion> questions, IReadOnlyDictionary<string, string> predictions)
    {
        ArgumentNullException.ThrowIfNull(questions);
        ArgumentNullException.ThrowIfNull(predictions);
        double f1 = 0;
        var em = 0;
        int total = 0, skipped = 0;
        foreach (var question in questions)
        {
            total++;
            if (!predictions.TryGetValue(PyText.Strip(question.Id), out var prediction))
            {
                skipped++;
                continue;
            }

            f1 += F1(question.Answers, prediction);
            em += ExactMatch(question.Answers, prediction);
        }

        if (total == 0)
        {
            throw new MetricException("CMRC evaluation needs at least one question, found none (division by zero).");
        }

        return new Cmrc2018Result(100.0 * f1 / total, 100.0 * em / total, total, skipped);
    }
}
