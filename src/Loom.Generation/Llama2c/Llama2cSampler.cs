// llama2.c run.c's sampler (sample, sample_argmax, sample_mult, sample_topp), reproduced in float32 with its exact
// order of operations: temperature division, softmax (max subtracted, expf, one sum), one coin per sampled token,
// multinomial in index order, or top-p over the candidates above (1 − p)/(n − 1) sorted by descending probability,
// cut where the cumulative probability first exceeds p, sampled with coin × cumulative.
namespace Loom.Generation.Llama2c;

/// <summary>run.c's token sampler.</summary>
public sealed class Llama2cSampler
{
    private readonly float _temperature;
    private readonly float _topP;
    private readonly XorShiftRandom _random;

    /// <summary>run.c build_sampler(vocab, temperature, topp, rng_seed).</summary>
    public Llama2cSampler(float temperature, float topP, ulong seed)
    {
        (_temperature, _topP, _random) = (temperature, topP, new XorShiftRandom(seed));
    }

    /// <summary>Picks the next token from <paramref name="logits"/> (modified in place, as run.c does).</summary>
    public int Sample(Span<float> logits)
    {
        if (_temperature == 0.0f)
        {
            return TokenChooser.ArgMax(logits);
        }

        for (var i = 0; i < logits.Length; i++)
        {
            logits[i] /= _temperature;
        }

        SoftmaxInPlace(logits);
        var coin = _random.NextSingle();
        return _topP <= 0 || _topP >= 1 ? SampleMultinomial(logits, coin) : SampleTopP(logits, coin);
    }

    private static void SoftmaxInPlace(Span<float> x)
    {
        var max = x[0];
        for (var i = 1; i < x.Length; i++)
        {
            if (x[i] > max)
            {
                max = x[i];
            }
        }

        var sum = 0.0f;
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = MathF.Exp(x[i] - max);
            sum += x[i];
        }

        for (var i = 0; i < x.Length; i++)
        {
            x[i] /= sum;
        }
    }

    private static int SampleMultinomial(ReadOnlySpan<float> probabilities, float coin)
    {
        var cdf = 0.0f;
        for (var i = 0; i < probabilities.Length; i++)
        {
            cdf += probabilities[i];
            if (coin < cdf)
            {
                return i;
            }
        }

        return probabilities.Length - 1;
    }

    private int SampleTopP(ReadOnlySpan<float> probabilities, float coin)
    {
        var n = probabilities.Length;
        var cutoff = (1.0f - _topP) / (n - 1);
        var candidates = new List<(int Index, float Probability)>();
        for (var i = 0; i < n; i++)
        {
            if (probabilities[i] >= cutoff)
            {
                candidates.Add((i, probabilities[i]));
            }
        }

        var sorted = candidates.OrderByDescending(c => c.Probability).ToArray();
        var cumulative = 0.0f;
        var last = sorted.Length - 1;
        for (var i = 0; i < sorted.Length; i++)
        {
            cumulative += sorted[i].Probability;
            if (cumulative > _topP)
            {
                last = i;
                break;
            }
        }

        var r = coin * cumulative;
        var cdf = 0.0f;
        for (var i = 0; i <= last; i++)
        {
            cdf += sorted[i].Probability;
            if (r < cdf)
            {
                return sorted[i].Index;
            }
        }

        return sorted[last].Index;
    }
}
