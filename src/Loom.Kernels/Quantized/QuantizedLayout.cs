// Block sizes of ggml's Q8_0 and Q4_0 (ggml/src/ggml-common.h: block_q8_0, block_q4_0; QK8_0 = QK4_0 = 32) and the
// binary16 scale conversion every quantised kernel shares.
using System.Runtime.CompilerServices;

namespace Loom.Kernels;

/// <summary>Sizes of the <see cref="QuantizedFormat"/> layouts and shape checks for the quantised kernels.</summary>
public static class QuantizedLayout
{
    /// <summary>Values that share one scale (a block).</summary>
    public const int BlockValues = 32;

    /// <summary>2¹¹², the distance between the float32 and binary16 exponent biases (127 − 15).</summary>
    private const float TwoTo112 = 5.192296858534828e33f; // a constant, so a kernel's inner loop has no static-initialisation check

    /// <summary>Bytes of one block of <paramref name="format"/>: 34 for Q8_0, 18 for Q4_0.</summary>
    public static int BlockBytes(QuantizedFormat format) => format switch
    {
        QuantizedFormat.Q8_0 => 2 + BlockValues,
        QuantizedFormat.Q4_0 => 2 + (BlockValues / 2),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "expected Q8_0 or Q4_0"),
    };

    /// <summary>Bytes of one row of <paramref name="columns"/> values (a multiple of 32).</summary>
    /// <exception cref="ArgumentException"><paramref name="columns"/> is negative or not a multiple of 32.</exception>
    public static int RowBytes(QuantizedFormat format, int columns)
    {
        if (columns < 0 || columns % BlockValues != 0)
        {
            throw new ArgumentException($"A {format} row holds whole blocks of {BlockValues} values: expected a non-negative multiple of {BlockValues} columns, found {columns}.", nameof(columns));
        }

        return columns / BlockValues * BlockBytes(format);
    }

    /// <summary>Bytes of a <paramref name="rows"/> × <paramref name="columns"/> matrix.</summary>
    /// <exception cref="ArgumentException">A size is negative, the columns are not whole blocks, or the total overflows.</exception>
    public static long MatrixBytes(QuantizedFormat format, int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        return (long)rows * RowBytes(format, columns);
    }

    /// <summary>
    /// The binary16 value with bits <paramref name="bits"/> as float32, exactly as <c>(float)(Half)</c> (NaN payloads
    /// aside): finite values (subnormals included) are moved into float32's exponent range with one exact multiplication
    /// by 2¹¹²; infinities and NaNs take float32's all-ones exponent. No branch, so it sits in the kernels' inner loops.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HalfToSingle(ushort bits)
    {
        var shifted = (bits & 0x7FFF) << 13;
        var finite = BitConverter.SingleToInt32Bits(BitConverter.Int32BitsToSingle(shifted) * TwoTo112);
        var special = -(((bits & 0x7C00) + 0x0400) >> 15); // all ones when the exponent is all ones (infinity or NaN)
        var magnitude = (finite & ~special) | ((shifted | 0x7F800000) & special);
        return BitConverter.Int32BitsToSingle(magnitude | ((bits & 0x8000) << 16));
    }

    /// <summary>Throws unless spans of these lengths hold an (n × k) quantised matrix, an (m × k) input and an (m × n) output.</summary>
    internal static void CheckMatmul(QuantizedFormat format, int weights, int n, int k, int input, int m, int output)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        var expected = MatrixBytes(format, n, k);
        if (weights != expected)
        {
            throw new ArgumentException($"A {n} × {k} {format} matrix takes {expected} bytes; found {weights}.", nameof(weights));
        }

        if (input < (long)m * k)
        {
            throw new ArgumentException($"The input ({m} × {k}) needs {(long)m * k} floats; found {input}.", nameof(input));
        }

        if (output < (long)m * n)
        {
            throw new ArgumentException($"The output ({m} × {n}) needs {(long)m * n} floats; found {output}.", nameof(output));
        }
    }
}
