// Picking the next token from processed scores: argmax (first maximum, as torch.argmax) or one draw from the softmax
// (torch.multinomial's role, with Loom's seeded generator: the same seed gives the same tokens, not torch's). The
// probabilities go to a pooled scratch buffer, so a draw allocates nothing.
using System.Buffers;
using Loom.Core;

namespace Loom.Generation;

/// <summary>Greedy and sampled token choice.</summary>
public static class TokenChooser
{
    /// <summary>The index of the first largest score.</summary>
    public static int ArgMax(ReadOnlySpan<float> scores)
    {
        var best = 0;
        for (var i = 1; i < scores.Length; i++)
        {
            if (scores[i] > scores[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>Draws a token with probability softmax(<paramref name="scores"/>) using one uniform from <paramref name="random"/>.</summary>
    public static int Sample(ReadOnlySpan<float> scores, Generator random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var scratch = ArrayPool<double>.Shared.Rent(scores.Length);
        try
        {
            var probabilities = scratch.AsSpan(0, scores.Length);
            Softmax.Compute(scores, probabilities);
            return Draw(probabilities, random.NextDouble());
        }
        finally
        {
            ArrayPool<double>.Shared.Return(scratch);
        }
    }

    /// <summary>The first token whose cumulative probability exceeds <paramref name="coin"/> (the last possible one if none does).</summary>
    private static int Draw(ReadOnlySpan<double> probabilities, double coin)
    {
        var cumulative = 0.0;
        var last = 0;
        for (var i = 0; i < probabilities.Length; i++)
        {
            if (probabilities[i] <= 0)
            {
                continue;
            }

            last = i;
            cumulative += probabilities[i];
            if (coin < cumulative)
            {
                return i;
            }
        }

        return last;
    }
}
