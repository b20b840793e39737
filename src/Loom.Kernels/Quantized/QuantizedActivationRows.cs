// Activation rows quantised to Q8_0-style blocks for the integer-dot kernel (the role of ggml's quantize_row_q8_0 for
// the vec_dot_type of Q8_0 / Q4_0 weights): per 32 values d = max|x| / 127 and q = round(x / d). Two deliberate
// differences from ggml: d stays float32 (ggml stores it as binary16) and ties round to even (ggml's roundf rounds
// them away from zero; an exact .5 is rare in real activations). The values are stored as int16 so that the kernel
// multiplies them with vpmaddwd, whose pair sums never saturate (|q·w| ≤ 127·128).
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Loom.Kernels;

/// <summary>Quantisation of float32 rows to int16-held int8 values with one float32 scale per 32-value block.</summary>
internal static unsafe class QuantizedActivationRows
{
    /// <summary>
    /// Quantises <paramref name="count"/> values of <paramref name="x"/> (a multiple of 32) into
    /// <paramref name="values"/> and one scale per block into <paramref name="scales"/>; <paramref name="vector"/> picks
    /// the Vector256 path (the same bits as the scalar one).
    /// </summary>
    public static void Quantize(float* x, int count, short* values, float* scales, bool vector)
    {
        for (var b = 0; b < count / QuantizedLayout.BlockValues; b++, x += QuantizedLayout.BlockValues, values += QuantizedLayout.BlockValues)
        {
            if (vector)
            {
                scales[b] = BlockVector(x, values);
            }
            else
            {
                scales[b] = BlockScalar(x, values);
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

    private static float BlockScalar(float* x, short* values)
    {
        var max = 0f;
        for (var i = 0; i < QuantizedLayout.BlockValues; i++)
        {
            max = MathF.Max(max, MathF.Abs(x[i]));
        }

        var (scale, inverse) = Scale(max);
        for (var i = 0; i < QuantizedLayout.BlockValues; i++)
        {
            values[i] = (short)MathF.Round(x[i] * inverse); // ties to even, as vroundps / Vector256.Round
        }

        return scale;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float BlockVector(float* x, short* values)
    {
        var a = Vector256.Load(x);
        var b = Vector256.Load(x + 8);
        var c = Vector256.Load(x + 16);
        var d = Vector256.Load(x + 24);
        var most = Vector256.Max(Vector256.Max(Vector256.Abs(a), Vector256.Abs(b)), Vector256.Max(Vector256.Abs(c), Vector256.Abs(d)));
        var half = Vector128.Max(most.GetLower(), most.GetUpper());
        half = Vector128.Max(half, Vector128.Shuffle(half, Vector128.Create(2, 3, 0, 1)));
        var (scale, inverse) = Scale(MathF.Max(half.ToScalar(), half.GetElement(1)));
        var by = Vector256.Create(inverse);
        Vector256.Narrow(Round(a, by), Round(b, by)).Store(values);
        Vector256.Narrow(Round(c, by), Round(d, by)).Store(values + 16);
        return scale;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Round(Vector256<float> x, Vector256<float> inverse) => Vector256.ConvertToInt32(Vector256.Round(x * inverse));
}
