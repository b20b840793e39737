// Operand packing after Goto and van de Geijn, "Anatomy of High-Performance Matrix Multiplication"
// (ACM TOMS 2008) and the BLIS micro-panel layout (Van Zee and van de Geijn, ACM TOMS 2015): a block of
// op(A) becomes Mr-row micro-panels stored k-major, a block of op(B) becomes Nr-column micro-panels stored
// k-major, both zero-padded to whole panels so the micro-kernel never branches on edges.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Loom.Kernels;

/// <summary>Copies blocks of op(A) and op(B) into the contiguous micro-panel layout the micro-kernels read.</summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs rows [i0, i0 + mc) and depth [p0, p0 + kc) of op(A) into panels of <paramref name="mr"/> rows:
    /// <c>dst[(panel · kc + p) · mr + r] = op(A)[i0 + panel · mr + r, p0 + p]</c>, zero past the last row, rounded to
    /// bfloat16 when the problem asks for it.
    /// </summary>
    public static void PackA(in GemmProblem problem, int i0, int mc, int p0, int kc, int mr, float* dst)
    {
        for (var ir = 0; ir < mc; ir += mr)
        {
            var rows = Math.Min(mr, mc - ir);
            var panel = dst + ((nint)ir * kc);
            if (problem.TransA)
            {
                // Stored A is (K × M): each depth step reads `rows` consecutive floats.
                var src = problem.A + ((nint)p0 * problem.Lda) + i0 + ir;
                CopyRows(src, problem.Lda, panel, mr, kc, rows, mr);
            }
            else
            {
                // Stored A is (M × K): each panel row is contiguous in depth, so the panel is a transpose.
                var src = problem.A + ((nint)(i0 + ir) * problem.Lda) + p0;
                Transpose(src, problem.Lda, panel, mr, rows, kc);
            }
        }

        RoundIfAsked(problem, dst, ((mc + mr - 1) / mr) * mr * kc);
    }

    /// <summary>
    /// Packs depth [p0, p0 + kc) and columns [j0, j0 + nc) of op(B) into panels of <paramref name="nr"/> columns:
    /// <c>dst[(panel · kc + p) · nr + j] = op(B)[p0 + p, j0 + panel · nr + j]</c>, zero past the last column, rounded to
    /// bfloat16 when the problem asks for it.
    /// </summary>
    public static void PackB(in GemmProblem problem, int p0, int kc, int j0, int nc, int nr, float* dst)
    {
        for (var jr = 0; jr < nc; jr += nr)
        {
            var cols = Math.Min(nr, nc - jr);
            var panel = dst + ((nint)jr * kc);
            if (problem.TransB)
            {
                // Stored B is (N × K), the x·Wᵀ weight layout: each panel column is contiguous in depth.
                var src = problem.B + ((nint)(j0 + jr) * problem.Ldb) + p0;
                Transpose(src, problem.Ldb, panel, nr, cols, kc);
            }
            else
            {
                // Stored B is (K × N): each depth step reads `cols` consecutive floats.
                var src = problem.B + ((nint)p0 * problem.Ldb) + j0 + jr;
                CopyRows(src, problem.Ldb, panel, nr, kc, cols, nr);
            }
        }

        RoundIfAsked(problem, dst, ((nc + nr - 1) / nr) * nr * kc);
    }

    /// <summary>Rounds a packed block in place (it is hot in cache right after the copy) for bfloat16 operands.</summary>
    private static void RoundIfAsked(in GemmProblem problem, float* block, int count)
    {
        if (problem.Precision == GemmPrecision.BFloat16)
        {
            BFloat16Kernel.RoundInPlace(block, count);
        }
    }

    /// <summary>
    /// <c>dst[p · dstStride + x] = src[p · srcStride + x]</c> for p &lt; depth, x &lt; count; zero for count ≤ x &lt; width.
    /// </summary>
    private static void CopyRows(float* src, nint srcStride, float* dst, int dstStride, int depth, int count, int width)
    {
        for (var p = 0; p < depth; p++)
        {
            var from = src + (p * srcStride);
            var to = dst + ((nint)p * dstStride);
            var x = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; x + 8 <= count; x += 8)
                {
                    Vector256.Store(Vector256.Load(from + x), to + x);
                }
            }

            for (; x < count; x++)
            {
                to[x] = from[x];
            }

            for (; x < width; x++)
            {
                to[x] = 0f;
            }
        }
    }

    /// <summary>
    /// Transposes <paramref name="lines"/> source lines of <paramref name="depth"/> floats (lines
    /// <paramref name="srcStride"/> apart) into <c>dst[p · width + line]</c>, zero-filling lines ≥ <paramref name="lines"/>.
    /// </summary>
    private static void Transpose(float* src, nint srcStride, float* dst, int width, int lines, int depth)
    {
        var line = 0;
        if (Avx.IsSupported)
        {
            for (; line + 8 <= lines; line += 8)
            {
                var p = 0;
                for (; p + 8 <= depth; p += 8)
                {
                    Transpose8x8(src + (line * srcStride) + p, srcStride, dst + ((nint)p * width) + line, width);
                }

                TransposeScalar(src + (line * srcStride), srcStride, dst + line, width, 8, p, depth);
            }
        }

        TransposeScalar(src + (line * srcStride), srcStride, dst + line, width, lines - line, 0, depth);
        if (lines < width)
        {
            for (var p = 0; p < depth; p++)
            {
                new Span<float>(dst + ((nint)p * width) + lines, width - lines).Clear();
            }
        }
    }

    private static void TransposeScalar(float* src, nint srcStride, float* dst, int width, int lines, int pStart, int depth)
    {
        for (var l = 0; l < lines; l++)
        {
            var from = src + (l * srcStride);
            for (var p = pStart; p < depth; p++)
            {
                dst[((nint)p * width) + l] = from[p];
            }
        }
    }

    /// <summary>Transposes an 8 × 8 block from memory to memory.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* src, nint srcStride, float* dst, nint dstStride)
    {
        Transpose8x8(src, srcStride, out var c0, out var c1, out var c2, out var c3, out var c4, out var c5, out var c6, out var c7);
        Avx.Store(dst, c0);
        Avx.Store(dst + dstStride, c1);
        Avx.Store(dst + (2 * dstStride), c2);
        Avx.Store(dst + (3 * dstStride), c3);
        Avx.Store(dst + (4 * dstStride), c4);
        Avx.Store(dst + (5 * dstStride), c5);
        Avx.Store(dst + (6 * dstStride), c6);
        Avx.Store(dst + (7 * dstStride), c7);
    }

    /// <summary>
    /// Loads 8 rows of 8 floats (<paramref name="srcStride"/> apart) and returns the 8 columns, using the
    /// unpack / shuffle / lane-permute sequence of AVX.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Transpose8x8(
        float* src, nint srcStride,
        out Vector256<float> c0, out Vector256<float> c1, out Vector256<float> c2, out Vector256<float> c3,
        out Vector256<float> c4, out Vector256<float> c5, out Vector256<float> c6, out Vector256<float> c7)
    {
        var r0 = Avx.LoadVector256(src);
        var r1 = Avx.LoadVector256(src + srcStride);
        var r2 = Avx.LoadVector256(src + (2 * srcStride));
        var r3 = Avx.LoadVector256(src + (3 * srcStride));
        var r4 = Avx.LoadVector256(src + (4 * srcStride));
        var r5 = Avx.LoadVector256(src + (5 * srcStride));
        var r6 = Avx.LoadVector256(src + (6 * srcStride));
        var r7 = Avx.LoadVector256(src + (7 * srcStride));

        // Interleave pairs of rows: t0 = [a00 a10 a01 a11 | a04 a14 a05 a15], …
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);

        // Gather four rows per 128-bit lane: s0 = [a00 a10 a20 a30 | a04 a14 a24 a34], …
        var s0 = Avx.Shuffle(t0, t2, 0x44);
        var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44);
        var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44);
        var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44);
        var s7 = Avx.Shuffle(t5, t7, 0xEE);

        // Join the low lanes (columns 0–3) and the high lanes (columns 4–7) of the two row halves.
        c0 = Avx.Permute2x128(s0, s4, 0x20);
        c1 = Avx.Permute2x128(s1, s5, 0x20);
        c2 = Avx.Permute2x128(s2, s6, 0x20);
        c3 = Avx.Permute2x128(s3, s7, 0x20);
        c4 = Avx.Permute2x128(s0, s4, 0x31);
        c5 = Avx.Permute2x128(s1, s5, 0x31);
        c6 = Avx.Permute2x128(s2, s6, 0x31);
        c7 = Avx.Permute2x128(s3, s7, 0x31);
    }
}
