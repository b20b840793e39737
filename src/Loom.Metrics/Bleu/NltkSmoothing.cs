// nltk's SmoothingFunction (Chen & Cherry 2014, "A Systematic Comparison of Smoothing Techniques for
// Sentence-Level BLEU"), reproducing nltk 3.8 nltk/translate/bleu_score.py method0..method7 exactly, including
// their Python quirks: methods 5 and 6 look at the LAST hypothesis/references of a corpus, method 6 raises when the
// trigram precision is zero, and values stay exact Fractions wherever nltk keeps them.
namespace Loom.Metrics.Bleu;

/// <summary>nltk <c>SmoothingFunction(epsilon, alpha, k).methodN</c>.</summary>
/// <param name="Method">0..7 (0 = no smoothing, the default when none is given).</param>
public sealed record NltkSmoothing(int Method)
{
    /// <summary>Python's <c>sys.float_info.min</c> (smallest normal double, 2^-1022).</summary>
    public const double PythonFloatMin = 2.2250738585072014e-308;

    /// <summary>Method 1's additive count (default 0.1).</summary>
    public PyNumber Epsilon { get; init; } = PyNumber.Float(0.1);

    /// <summary>Method 6's prior weight (default int 5).</summary>
    public PyNumber Alpha { get; init; } = PyNumber.Int(5);

    /// <summary>Method 4's constant (default int 5).</summary>
    public PyNumber K { get; init; } = PyNumber.Int(5);

    /// <summary>Applies the method to the corpus precisions <paramref name="pn"/> (modified in place, like nltk).</summary>
    /// <param name="pn">Per-order modified precisions (unnormalised Fractions).</param>
    /// <param name="references">The references of the last segment (nltk's loop variable).</param>
    /// <param name="hypothesis">The last hypothesis (nltk's loop variable).</param>
    /// <param name="hypLength">Total hypothesis length of the corpus.</param>
    public void Apply(PyNumber[] pn, IReadOnlyList<IReadOnlyList<string>> references, IReadOnlyList<string> hypothesis, int hypLength)
    {
        switch (Method)
        {
            case 0:
                for (var i = 0; i < pn.Length; i++)
                {
                    if (pn[i].Numerator.IsZero)
                    {
                        // nltk substitutes sys.float_info.min so that log() stays finite.
                        pn[i] = PyNumber.Float(PythonFloatMin);
                    }
                }
                break;
            case 1:
                for (var i = 0; i < pn.Length; i++)
                {
                    if (pn[i].Numerator.IsZero)
                    {
                        pn[i] = (PyNumber.Int(pn[i].Numerator) + Epsilon) / PyNumber.Int(pn[i].Denominator);
                    }
                }
                break;
            case 2:
                for (var i = 1; i < pn.Length; i++)
                {
                    pn[i] = PyNumber.RawFraction(pn[i].Numerator + 1, pn[i].Denominator + 1);
                }
                break;
            case 3:
                Method3(pn);
                break;
            case 4:
                Method4(pn, hypLength);
                break;
            case 5:
                Method5(pn, references, hypothesis);
                break;
            case 6:
                Method6(pn, hypothesis);
                break;
            case 7:
                Method4(pn, hypLength);
                Method5(pn, references, hypothesis);
                break;
            default:
                throw new MetricException($"nltk smoothing: expected method0..method7, found method{Method}.");
        }
    }

    private static void Method3(PyNumber[] pn)
    {
        var k = 1;
        for (var i = 0; i < pn.Length; i++)
        {
            if (pn[i].Numerator.IsZero)
            {
                pn[i] = PyNumber.Int(1) / PyNumber.Int(System.Numerics.BigInteger.Pow(2, k) * pn[i].Denominator);
                k++;
            }
        }
    }

    private void Method4(PyNumber[] pn, int hypLength)
    {
        var k = 1;
        var logLength = PyNumber.Float(Math.Log(hypLength));
        for (var i = 0; i < pn.Length; i++)
        {
            if (!pn[i].IsFloat && pn[i].Numerator.IsZero && hypLength > 1)
            {
                var numerator = PyNumber.Int(1) / (PyNumber.Int(System.Numerics.BigInteger.Pow(2, k)) * K / logLength);
                pn[i] = numerator / PyNumber.Int(pn[i].Denominator);
                k++;
            }
        }
    }

    private static void Method5(PyNumber[] pn, IReadOnlyList<IReadOnlyList<string>> references, IReadOnlyList<string> hypothesis)
    {
        var next = pn.Append(NltkBleu.ModifiedPrecision(references, hypothesis, 5)).ToArray();
        var previous = pn[0] + PyNumber.Int(1);
        var three = PyNumber.Int(3);
        for (var i = 0; i < pn.Length; i++)
        {
            pn[i] = (previous + pn[i] + next[i + 1]) / three;
            previous = pn[i];
        }
    }

    private void Method6(PyNumber[] pn, IReadOnlyList<string> hypothesis)
    {
        if (pn.Length < 3 || pn[2].Sign == 0)
        {
            throw new MetricException(
                "nltk smoothing method6 requires a non-zero trigram precision (nltk: AssertionError \"This smoothing " +
                $"method requires non-zero precision for bigrams.\"); found {(pn.Length < 3 ? "fewer than 3 orders" : "p3 = 0")}.");
        }
        for (var i = 2; i < pn.Length; i++)
        {
            var pi0 = pn[i - 2].Sign == 0 ? PyNumber.Int(0) : pn[i - 1] * pn[i - 1] / pn[i - 2];
            var m = PyNumber.Int(pn[i].Numerator);
            var l = PyNumber.Int(Math.Max(0, hypothesis.Count - i));
            pn[i] = (m + Alpha * pi0) / (l + Alpha);
        }
    }
}
