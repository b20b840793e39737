namespace Loom.Kernels.Tests;

/// <summary>Lengths every kernel is tested at (0..256 and a few large ones), seeded inputs and tolerance checks.</summary>
internal static class KernelTestData
{
    public static IEnumerable<int> Lengths => Enumerable.Range(0, 257).Concat([1000, 4097, 65_537]);

    public static float[] Random(int n, int seed, float scale = 1f)
    {
        var rng = new Random(seed);
        var values = new float[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = (float)((rng.NextDouble() * 2) - 1) * scale;
        }

        return values;
    }

    /// <summary>Asserts |actual − expected| ≤ atol + rtol·|expected| element by element.</summary>
    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float atol, float rtol, string context)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var limit = atol + (rtol * Math.Abs(expected[i]));
            if (!(Math.Abs(actual[i] - expected[i]) <= limit))
            {
                Assert.Fail($"{context}: element {i} of {expected.Length}: expected {expected[i]:R}, found {actual[i]:R} (limit {limit:G3})");
            }
        }
    }
}
