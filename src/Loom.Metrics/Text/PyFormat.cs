// CPython float formatting (Objects/floatobject.c, Python/pystrtod.c): correctly rounded, half to even.
using System.Globalization;
using System.Numerics;

namespace Loom.Metrics.Text;

/// <summary>
/// Python's <c>'%.Nf'</c> / <c>'{:.Nf}'</c> formatting of a double: the exact binary value rounded half-to-even at
/// N decimals (what CPython's <c>float.__format__</c> does), <c>nan</c>/<c>inf</c> spelled as Python spells them.
/// </summary>
internal static class PyFormat
{
    /// <summary>Formats <paramref name="value"/> with <paramref name="digits"/> decimals.</summary>
    public static string Fixed(double value, int digits)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        var negative = value < 0 || (value == 0 && double.IsNegative(value));
        var bits = BitConverter.DoubleToInt64Bits(Math.Abs(value));
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0)
        {
            exponent = 1;
        }
        else
        {
            mantissa |= 1L << 52;
        }

        exponent -= 1075; // value = mantissa * 2^exponent
        // scaled = value * 10^digits as an exact fraction numerator / denominator.
        var numerator = new BigInteger(mantissa) * BigInteger.Pow(10, digits);
        var denominator = BigInteger.One;
        if (exponent >= 0)
        {
            numerator <<= exponent;
        }
        else
        {
            denominator <<= -exponent;
        }

        var quotient = BigInteger.DivRem(numerator, denominator, out var remainder);
        var twice = remainder * 2;
        if (twice > denominator || (twice == denominator && !quotient.IsEven))
        {
            quotient += 1;
        }

        var text = quotient.ToString(CultureInfo.InvariantCulture).PadLeft(digits + 1, '0');
        var result = digits > 0 ? text[..^digits] + "." + text[^digits..] : text;
        return negative ? "-" + result : result;
    }
}
