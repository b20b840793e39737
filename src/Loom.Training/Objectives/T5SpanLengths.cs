// T5 span-corruption length arithmetic (Raffel et al. 2020, §3.1.4), as in google-research/text-to-text-transfer-
// transformer t5/data/preprocessors.py random_spans_helper and HF transformers examples/flax/language-modeling/
// run_t5_mlm_flax.py compute_input_and_target_lengths. Python's round() rounds half to even; so does Math.Round here.
namespace Loom.Training.Objectives;

/// <summary>Input and target lengths of T5 span corruption.</summary>
public static class T5SpanLengths
{
    /// <summary>
    /// Inputs and targets after corrupting <paramref name="tokensLength"/> raw tokens: every non-noise token plus one
    /// sentinel per span plus EOS, and every noise token plus one sentinel per span plus EOS.
    /// </summary>
    public static (int Inputs, int Targets) AfterCorruption(int tokensLength, double noiseDensity, double meanSpanLength)
    {
        var noise = RoundHalfEven(tokensLength * noiseDensity);
        var nonNoise = tokensLength - noise;
        var spans = RoundHalfEven(noise / meanSpanLength);
        return (nonNoise + spans + 1, noise + spans + 1);
    }

    /// <summary>
    /// compute_input_and_target_lengths: the longest raw length whose corrupted input fits in
    /// <paramref name="inputsLength"/>, and the target length it gives (with T5's adjustment at density 0.5).
    /// </summary>
    public static (int TokensLength, int TargetsLength) ForInputLength(int inputsLength, double noiseDensity, double meanSpanLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputsLength);
        Check(noiseDensity, meanSpanLength);
        var tokensLength = inputsLength;
        while (AfterCorruption(tokensLength + 1, noiseDensity, meanSpanLength).Inputs <= inputsLength)
        {
            tokensLength++;
        }

        var targets = AfterCorruption(tokensLength, noiseDensity, meanSpanLength).Targets;
        if (noiseDensity == 0.5 && targets > inputsLength)
        {
            tokensLength--;
            targets--;
        }

        return (tokensLength, targets);
    }

    /// <summary>
    /// The noise and span counts that run_t5_mlm_flax random_spans_noise_mask uses for a sequence of
    /// <paramref name="length"/> tokens: noise clamped to [1, length − 1], spans = round(min(noise, non-noise) / mean) ≥ 1.
    /// </summary>
    public static (int NoiseTokens, int NoiseSpans) NoiseCounts(int length, double noiseDensity, double meanSpanLength)
    {
        if (length < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(length), $"T5 span corruption: expected at least 2 tokens (one noise, one kept); found {length}.");
        }

        Check(noiseDensity, meanSpanLength);
        var noise = RoundHalfEven(length * noiseDensity);
        var nonNoise = length - noise;
        noise = Math.Min(Math.Max(noise, 1), length - 1);
        var spans = Math.Max(RoundHalfEven(Math.Min(noise, nonNoise) / meanSpanLength), 1);
        return (noise, spans);
    }

    private static int RoundHalfEven(double x) => (int)Math.Round(x, MidpointRounding.ToEven);

    /// <summary>Throws unless 0 &lt; density &lt; 1 and mean span ≥ 1.</summary>
    internal static void Check(double noiseDensity, double meanSpanLength)
    {
        if (!(noiseDensity > 0 && noiseDensity < 1) || !(meanSpanLength >= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(noiseDensity), $"T5 span corruption: expected 0 < density < 1 and mean span ≥ 1; found {noiseDensity} and {meanSpanLength}.");
        }
    }
}
