// Discrete samplers on top of Loom.Core.Generator. Poisson by Knuth's product-of-uniforms method (TAOCP vol. 2,
// 3.4.1), truncated to [min, max] by rejection (fairseq instead tabulates the pmf until it falls below 1e-7).
using Loom.Core;

namespace Loom.Training.Objectives;

/// <summary>Seeded discrete sampling used by the objectives.</summary>
public static class RandomSampling
{
    /// <summary>A Poisson(λ) draw conditioned on lying in [min, max].</summary>
    public static int Poisson(Generator rng, double lambda, int min = 0, int max = 128)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(lambda > 0) || lambda > 30)
        {
            throw new ArgumentOutOfRangeException(nameof(lambda), $"Poisson: expected 0 < λ ≤ 30; found {lambda}.");
        }

        var limit = Math.Exp(-lambda);
        while (true)
        {
            var k = 0;
            var product = rng.NextDouble();
            while (product > limit)
            {
                k++;
                product *= rng.NextDouble();
            }

            if (k >= min && k <= max)
            {
                return k;
            }
        }
    }

    /// <summary>The first <paramref name="take"/> entries of a uniformly random permutation of 0..n−1.</summary>
    public static int[] Choose(Generator rng, int n, int take)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var order = Enumerable.Range(0, n).ToArray();
        // Partial Fisher–Yates: the first `take` slots are a uniform sample without replacement, in random order.
        for (var i = 0; i < take; i++)
        {
            var j = i + rng.NextInt(n - i);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order[..take];
    }
}
