// Activation rows quantised to Q8_0-style blocks for the integer-dot kernel (the role of ggml's quantize_row_q8_0 for
// the vec_dot_type of Q8_0 / Q4_0 weights): per 32 values d = max|x| / 127 and q = round(x / d). Two deliberate
// differences from ggml: d stays float32 (ggml stores it as binary16) and ties round to even (ggml's roundf rounds
// them away from zero; an exact .5 is rare in real activations). Beside the values, 8 × the sum of each group of four
// (Q4_0's offset: Σ(u − 8)·q = Σ u·q − 8·Σ q over the four values that share a lane of the kernel).
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Loom.Kernels;

/// <summary>Quantisation of float32 rows to int8 values with one float32 scale per 32-value block.</summary>
internal static unsafe class QuantizedActivationRows
{
    /// <summary>Groups of four values per block (the integer-dot kernel's lanes).</summary>
    public const int Quads = QuantizedLayout.BlockValues / 4;

    /// <summary>
    /// Quantises <paramref name="count"/> values of <paramref name="x"/> (a multiple of 32) into
    /// <paramref name="values"/>, one scale per block into <paramref name="scales"/> and 8 × each sum of four values into
    /// <paramref name="quadSums"/>; <paramref name="vector"/> picks the AVX2 path (the same bits as the scalar one).
    /// </summary>
    public static void Quantize(float* x, int count, sbyte* values, float* scales, int* quadSums, bool vector)
    {
        for (var b = 0; b < count / QuantizedLayout.BlockValues; b++, x += QuantizedLayout.BlockValues, values += QuantizedLayout.BlockValues, quadSums += Quads)
        {
            if (vector)
            {
                scales[b] = BlockAvx2(x, values, quadSums);
            }
            else
            {
                scales[b] = BlockScalar(x, values, quadSums);
            }
        }
    }

    /// <summary>The scale of a block whose largest magnitude is <paramref name="max"/>, and its reciprocal (0 for 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (float Scale, float Inverse) Scale(float max)
    {
        var scale = max / 127f;
        return (scale, scale == 0f ? 0f : 1f / scale);
    }

    private static float BlockScalar(float* x, sbyte* values, int* quadSums)
    {
        var max = 0f;
        for (var i = 0; i < QuantizedLayout.BlockValues; i++)
        {
            max = MathF.Max(max, MathF.Abs(x[i]));
        }

        var (scale, inverse) = Scale(max);
        for (var i = 0; i < QuantizedLayout.BlockValues; i++)
        {
            values[i] = (sbyte)MathF.Round(x[i] * inverse); // ties to even, as vroundps
        }

        for (var l = 0; l < Quads; l++)
        {
            quadSums[l] = 8 * (values[4 * l] + values[(4 * l) + 1] + values[(4 * l) + 2] + values[(4 * l) + 3]);
        }

        return scale;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float BlockAvx2(float* x, sbyte* values, int* quadSums)
    {
        var a = Avx.LoadVector256(x);
        var b = Avx.LoadVector256(x + 8);
        var c = Avx.LoadVector256(x + 16);
        var d = Avx.LoadVector256(x + 24);
        var most = Vector256.Max(Vector256.Max(Vector256.Abs(a), Vector256.Abs(b)), Vector256.Max(Vector256.Abs(c), Vector256.Abs(d)));
        var half = Vector128.Max(most.GetLower(), most.GetUpper());
        half = Vector128.Max(half, Vector128.Shuffle(half, Vector128.Create(2, 3, 0, 1)));
        var (scale, inverse) = Scale(MathF.Max(half.ToScalar(), half.GetElement(1)));
        var by = Vector256.Create(inverse);
        Vector256<int> qa = Round(a, by), qb = Round(b, by), qc = Round(c, by), qd = Round(d, by);
        var bytes = Vector256.Narrow(Vector256.Narrow(qa, qb), Vector256.Narrow(qc, qd));
        bytes.Store(values);

        // Sums of four: hadd twice gives, per 128-bit half, quads (0, 2, 4, 6) then (1, 3, 5, 7); the permute restores order.
        var sums = Avx2.HorizontalAdd(Avx2.HorizontalAdd(qa, qb), Avx2.HorizontalAdd(qc, qd));
        Avx2.ShiftLeftLogical(Avx2.PermuteVar8x32(sums, Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7)), 3).Store(quadSums);
        return scale;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Round(Vector256<float> x, Vector256<float> inverse) => Avx.ConvertToVector256Int32(Avx.RoundToNearestInteger(x * inverse));
}
