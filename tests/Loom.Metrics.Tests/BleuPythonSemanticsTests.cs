using Loom.Metrics.Bleu;
using Loom.Metrics.Text;

namespace Loom.Metrics.Tests;

/// <summary>The Python numeric/string behaviours the BLEU-family ports rely on, checked against values from the
/// Python documentation and CPython's own test suite.</summary>
public class BleuPythonSemanticsTests
{
    [Fact]
    public void FsumIsExactlyRounded()
    {
        // Python docs (math.fsum): sum([.1] * 10) == 0.9999999999999999 but fsum(...) == 1.0.
        Assert.Equal(1.0, PyMath.Fsum(Enumerable.Repeat(0.1, 10)));
        Assert.NotEqual(1.0, Enumerable.Repeat(0.1, 10).Sum());
        // CPython Lib/test/test_math.py testFsum cases.
        Assert.Equal(1e-100, PyMath.Fsum([1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50]));
        var p53 = Math.ScaleB(1.0, 53);
        Assert.Equal(p53 - 1.0, PyMath.Fsum([p53, -0.5, -Math.ScaleB(1.0, -54)]));
        Assert.Equal(p53 + 2.0, PyMath.Fsum([p53, 1.0, Math.ScaleB(1.0, -100)]));
        Assert.Equal(p53 - 3.0, PyMath.Fsum([p53 - 4.0, 0.5, Math.ScaleB(1.0, -54)]));
        Assert.Equal(0.0, PyMath.Fsum([]));
    }

    [Theory]
    [InlineData(0.1, "0.1")]
    [InlineData(1.0, "1.0")]
    [InlineData(1e-05, "1e-05")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1234567890123456.0, "1234567890123456.0")]
    [InlineData(-2.5e-300, "-2.5e-300")]
    [InlineData(0.8648648648414902, "0.8648648648414902")]
    public void ReprMatchesPython(double value, string expected) => Assert.Equal(expected, PyFloat.Repr(value));

    [Theory]
    [InlineData(2.675, 2, "2.67")]   // Python tutorial: the binary value is just below 2.675
    [InlineData(0.125, 2, "0.12")]   // exact ties round half to even in Python's format()
    [InlineData(0.375, 2, "0.38")]
    [InlineData(2.5, 0, "2")]
    [InlineData(3.5, 0, "4")]
    [InlineData(-0.001, 2, "-0.00")]
    [InlineData(100.0, 3, "100.000")]
    [InlineData(6.25, 1, "6.2")]
    public void FixedFormattingMatchesPython(double value, int decimals, string expected) =>
        Assert.Equal(expected, PyFloat.Fixed(value, decimals));

    [Fact]
    public void FractionToFloatIsCorrectlyRoundedForLargeIntegers()
    {
        // Scaling numerator and denominator by 2^80 takes the big-integer path and must not change the result.
        var random = new Random(7);
        for (var i = 0; i < 1000; i++)
        {
            long n = random.NextInt64(1, 1L << 53), d = random.NextInt64(1, 1L << 53);
            var small = PyNumber.Divide(n, d);
            Assert.Equal((double)n / d, small);
            Assert.Equal(small, PyNumber.Divide(new System.Numerics.BigInteger(n) << 80, new System.Numerics.BigInteger(d) << 80));
        }
    }

    [Fact]
    public void PythonNumericTowerMixesLikePython()
    {
        var half = PyNumber.Fraction(1, 2);
        Assert.False((half + PyNumber.Int(1)).IsFloat);                    // Fraction + int -> Fraction
        Assert.True((PyNumber.Int(1) / PyNumber.Int(3)).IsFloat);         // int / int -> float
        Assert.True((half * PyNumber.Float(2.0)).IsFloat);                 // Fraction * float -> float
        Assert.Equal(3, (PyNumber.Fraction(6, 4) + PyNumber.Fraction(3, 2)).Numerator);
        Assert.Equal(4, PyNumber.RawFraction(2, 4).Denominator);           // _normalize=False keeps the terms
    }

    [Fact]
    public void LowerFollowsPythonSpecialCasing()
    {
        // CPython Lib/test/string_tests.py / test_unicode.py test_lower (capital sigma, U+0130).
        Assert.Equal("\u03c3", PyText.Lower("\u03a3"));
        Assert.Equal("\u0345\u03c3", PyText.Lower("\u0345\u03a3"));
        Assert.Equal("a\u0345\u03c2", PyText.Lower("A\u0345\u03a3"));
        Assert.Equal("a\u0345\u03c3a", PyText.Lower("A\u0345\u03a3a"));
        Assert.Equal("a\u03c2\u0345", PyText.Lower("A\u03a3\u0345"));
        Assert.Equal("\u03c3\u0345 ", PyText.Lower("\u03a3\u0345 "));
        Assert.Equal("i\u0307", PyText.Lower("\u0130"));
    }

    [Fact]
    public void PythonWhitespaceIncludesFileSeparatorsButNotZeroWidthSpace()
    {
        Assert.Equal(["a", "b", "c"], PyText.Split("a\u001Fb\u3000c"));
        Assert.Equal(["a\u200Bb"], PyText.Split(" a\u200Bb\t"));
    }
}
