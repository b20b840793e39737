namespace Loom.Kernels.Tests;

/// <summary>
/// <see cref="GemmPrecision.BFloat16"/>: the product must equal the float32 product of operands rounded beforehand by
/// <see cref="BFloat16Kernel"/> — bit for bit where both take the packed path, within the float64 reference's bound
/// everywhere — and leave the caller's operands untouched.
/// </summary>
public class GemmBFloat16Tests
{
    [Theory]
    [MemberData(nameof(GemmTests.Kernels), MemberType = typeof(GemmTests))]
    public void EqualsTheFloat32ProductOfRoundedOperandsBitForBit(GemmKernel kernel)
    {
        // m ≥ 5, so the float32 product of the rounded operands is packed too (no small-m or dot-row path).
        (int M, int N, int K, int Threads)[] shapes = [(5, 7, 3, 1), (9, 33, 70, 1), (37, 301, 257, 2), (203, 1030, 530, 3)];
        foreach (var (transA, transB) in new[] { (false, false), (false, true), (true, false), (true, true) })
        {
            foreach (var (m, n, k, threads) in shapes)
            {
                var (a, lda, b, ldb) = Operands(transA, transB, m, n, k, seed: m + n + k);
                var (aCopy, bCopy) = ((float[])a.Clone(), (float[])b.Clone());
                var c = KernelTestData.Random(m * n, seed: 3);
                var expected = (float[])c.Clone();
                Gemm.Multiply(kernel, threads, transA, transB, m, n, k, 1.25f, a, lda, b, ldb, 0.5f, c, n, GemmPrecision.BFloat16);
                Gemm.Multiply(kernel, threads, transA, transB, m, n, k, 1.25f, Rounded(a), lda, Rounded(b), ldb, 0.5f, expected, n);
                Assert.Equal(expected.Select(BitConverter.SingleToUInt32Bits), c.Select(BitConverter.SingleToUInt32Bits));
                Assert.Equal(aCopy, a);
                Assert.Equal(bCopy, b);
            }
        }
    }

    [Theory]
    [MemberData(nameof(GemmTests.Kernels), MemberType = typeof(GemmTests))]
    public void FewRowsAreRoundedTooAndMatchTheReference(GemmKernel kernel)
    {
        // One to four rows would skip packing in float32; with bfloat16 operands they are packed and rounded.
        foreach (var (transA, transB) in new[] { (false, false), (false, true), (true, false), (true, true) })
        {
            for (var m = 1; m <= 4; m++)
            {
                const int n = 45, k = 300;
                var (a, lda, b, ldb) = Operands(transA, transB, m, n, k, seed: m);
                var c = new float[m * n];
                Gemm.Multiply(kernel, 2, transA, transB, m, n, k, 1f, a, lda, b, ldb, 0f, c, n, GemmPrecision.BFloat16);
                var (expected, bound) = GemmReference.Multiply(transA, transB, m, n, k, 1f, Rounded(a), lda, Rounded(b), ldb, 0f, c, n);
                var (unrounded, _) = GemmReference.Multiply(transA, transB, m, n, k, 1f, a, lda, b, ldb, 0f, c, n);
                var differsFromFloat32 = false;
                for (var i = 0; i < c.Length; i++)
                {
                    Assert.True(Math.Abs(c[i] - expected[i]) <= bound[i], $"m={m} element {i}: {c[i]:R} vs {expected[i]:R} ± {bound[i]:G3}");
                    differsFromFloat32 |= Math.Abs(unrounded[i] - expected[i]) > bound[i];
                }

                Assert.True(differsFromFloat32, "the rounding must be visible: bfloat16 operands change the product beyond float32 error");
            }
        }
    }

    private static (float[] A, int Lda, float[] B, int Ldb) Operands(bool transA, bool transB, int m, int n, int k, int seed)
    {
        var (aRows, aCols) = transA ? (k, m) : (m, k);
        var (bRows, bCols) = transB ? (n, k) : (k, n);
        return (KernelTestData.Random(aRows * aCols, seed), aCols, KernelTestData.Random(bRows * bCols, seed + 1), bCols);
    }

    private static float[] Rounded(float[] values)
    {
        var rounded = new float[values.Length];
        BFloat16Kernel.Round(values, rounded);
        return rounded;
    }
}
