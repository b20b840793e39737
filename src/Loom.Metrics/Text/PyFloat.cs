// Python float formatting used in reference outputs: `repr(x)` (shortest round-trip, exponent outside
// [1e-4, 1e16)) and `f"{x:.Nf}"` (exact decimal rounding, half-even on the binary value).
// Reference: CPython Python/pystrtod.c (`PyOS_double_to_string`, mode 'r' and 'f').
using System.Globalization;
using System.Numerics;

namespace Loom.Metrics.Text;

/// <summary>Python-compatible float-to-string conversions.</summary>
internal static class PyFloat
{
    /// <summary>Python <c>f"{value:.{decimals}f}"</c>: the exact binary value rounded half-to-even (so 0.125 gives
    /// "0.12" where .NET's "F2" gives "0.13").</summary>
    public static string Fixed(double value, int decimals)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }
        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }
        var bits = BitConverter.DoubleToInt64Bits(value);
        var negative = bits < 0;
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
        exponent -= 1075; // |value| = mantissa * 2^exponent
        var scaled = new BigInteger(mantissa) * BigInteger.Pow(10, decimals);
        BigInteger digits;
        if (exponent >= 0)
        {
            digits = scaled << exponent;
        }
        else
        {
            var denominator = BigInteger.One << -exponent;
            digits = BigInteger.DivRem(scaled, denominator, out var remainder);
            var twice = remainder * 2;
            if (twice > denominator || (twice == denominator && !digits.IsEven))
            {
                digits += 1;
            }
        }
        var text = digits.ToString(CultureInfo.InvariantCulture).PadLeft(decimals + 1, '0');
        if (decimals > 0)
        {
            text = text[..^decimals] + "." + text[^decimals..];
        }
        return negative ? "-" + text : text;
    }

    /// <summary>Python <c>repr(value)</c> for a float.</summary>
    public static string Repr(double value)
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
        // "E16" is not shortest; "R" is the shortest round-trip digit string. Take its digits and exponent.
        var r = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        string mantissa;
        var exponent = 0;
        var e = r.IndexOf('E', StringComparison.Ordinal);
        if (e >= 0)
        {
            mantissa = r[..e];
            exponent = int.Parse(r[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }
        else
        {
            mantissa = r;
        }
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var intPart = dot >= 0 ? mantissa[..dot] : mantissa;
        var fracPart = dot >= 0 ? mantissa[(dot + 1)..] : "";
        var digits = (intPart + fracPart).TrimStart('0');
        // decimal point position relative to the start of `digits`
        var leadingZeros = (intPart + fracPart).Length - (intPart + fracPart).TrimStart('0').Length;
        var pointPos = intPart.Length - leadingZeros + exponent;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
        {
            return negative ? "-0.0" : "0.0";
        }
        var decimalExponent = pointPos - 1; // exponent of the first digit
        string body;
        if (decimalExponent < -4 || decimalExponent >= 16)
        {
            var m = digits.Length == 1 ? digits : digits[..1] + "." + digits[1..];
            var sign = decimalExponent < 0 ? "-" : "+";
            body = m + "e" + sign + Math.Abs(decimalExponent).ToString("00", CultureInfo.InvariantCulture);
        }
        else if (pointPos <= 0)
        {
            body = "0." + new string('0', -pointPos) + digits;
        }
        else if (pointPos >= digits.Length)
        {
            body = digits + new string('0', pointPos - digits.Length) + ".0";
        }
        else
        {
            body = digits[..pointPos] + "." + digits[pointPos..];
        }
        return negative ? "-" + body : body;
    }
}
