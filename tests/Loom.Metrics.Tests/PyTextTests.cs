using Loom.Metrics.Text;

namespace Loom.Metrics.Tests;

/// <summary>
/// Python string semantics the reference scripts depend on, checked against the Unicode rules CPython implements:
/// SpecialCasing.txt (U+0130 lower-cases to "i" + U+0307; capital sigma is final sigma in the Final_Sigma context),
/// and CPython's <c>str.isspace</c> (U+001C..U+001F are white space, U+200B is not).
/// </summary>
public class PyTextTests
{
    [Theory]
    [InlineData("ΟΔΟΣ ΣΑ", "οδος σα")]
    [InlineData("ΣΑΣ.", "σας.")]
    [InlineData("Σ", "σ")]
    [InlineData("\u0130stanbul", "i\u0307stanbul")]
    [InlineData("ÀÉÎ ǅ", "àéî ǆ")]
    public void LowerFollowsFullUnicodeLowercasing(string text, string expected) =>
        Assert.Equal(expected, PyText.Lower(text));

    [Fact]
    public void SplitUsesPythonWhiteSpace()
    {
        Assert.Equal(["a", "b", "c\u200Bd"], PyText.Split("a\u001Fb\u3000 c\u200Bd "));
        Assert.Equal("x", PyText.Strip("\u001C x\u00A0"));
    }

    [Theory]
    [InlineData(0.125, 2, "0.12")]
    [InlineData(0.375, 2, "0.38")]
    [InlineData(2.5, 0, "2")]
    [InlineData(53.51662404092071, 3, "53.517")]
    [InlineData(double.NaN, 4, "nan")]
    public void FixedFormattingRoundsTheExactBinaryValueHalfToEven(double value, int digits, string expected) =>
        Assert.Equal(expected, PyFloat.Fixed(value, digits));
}
