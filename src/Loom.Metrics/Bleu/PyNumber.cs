// Python's numeric tower as nltk's BLEU smoothing uses it: int, fractions.Fraction (exact, kept unnormalised when
// built with _normalize=False) and float, with Python's mixing rules (int/int -> float, Fraction op int -> Fraction,
// anything op float -> float) and Python's correctly rounded int/Fraction -> float conversion.
// Reference: CPython Lib/fractions.py (3.11) and Objects/longobject.c (true division).
using System.Numerics;

namespace Loom.Metrics.Bleu;

/// <summary>A Python <c>int</c>, <c>Fraction</c> or <c>float</c> value.</summary>
public readonly struct PyNumber
{
    private enum Kind { Int, Fraction, Float }

    private readonly Kind _kind;
    private readonly BigInteger _numerator;
    private readonly BigInteger _denominator;
    private readonly double _float;

    private PyNumber(Kind kind, BigInteger numerator, BigInteger denominator, double value)
    {
        _kind = kind;
        _numerator = numerator;
        _denominator = denominator;
        _float = value;
    }

    /// <summary>A Python int.</summary>
    public static PyNumber Int(BigInteger value) => new(Kind.Int, value, BigInteger.One, 0);

    /// <summary>A Python float.</summary>
    public static PyNumber Float(double value) => new(Kind.Float, BigInteger.Zero, BigInteger.One, value);

    /// <summary><c>Fraction(numerator, denominator, _normalize=False)</c>: numerator and denominator kept as given.</summary>
    public static PyNumber RawFraction(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.IsZero)
        {
            throw new DivideByZeroException($"Fraction({numerator}, 0)");
        }
        return new(Kind.Fraction, numerator, denominator, 0);
    }

    /// <summary>A normalised Fraction (lowest terms, positive denominator), as Fraction arithmetic returns.</summary>
    public static PyNumber Fraction(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.Sign < 0)
        {
            (numerator, denominator) = (-numerator, -denominator);
        }
        var g = BigInteger.GreatestCommonDivisor(numerator, denominator);
        return RawFraction(g.IsZero ? numerator : numerator / g, g.IsZero ? denominator : denominator / g);
    }

    /// <summary>True for Python floats.</summary>
    public bool IsFloat => _kind == Kind.Float;

    /// <summary><c>.numerator</c> of an int or Fraction (as stored, unnormalised Fractions included).</summary>
    public BigInteger Numerator => _kind != Kind.Float ? _numerator
        : throw new InvalidOperationException("A Python float has no integer numerator.");

    /// <summary><c>.denominator</c> of an int or Fraction (as stored).</summary>
    public BigInteger Denominator => _kind != Kind.Float ? _denominator
        : throw new InvalidOperationException("A Python float has no integer denominator.");

    /// <summary><c>float(x)</c>: correctly rounded for ints and Fractions.</summary>
    public double ToDouble() => _kind == Kind.Float ? _float : Divide(_numerator, _denominator);

    /// <summary>Python truthiness / comparison with zero.</summary>
    public int Sign => _kind == Kind.Float ? Math.Sign(_float) : _numerator.Sign * _denominator.Sign;

    /// <summary><c>a + b</c>.</summary>
    public static PyNumber operator +(PyNumber a, PyNumber b) =>
        a.IsFloat || b.IsFloat ? Float(a.ToDouble() + b.ToDouble())
        : a._kind == Kind.Int && b._kind == Kind.Int ? Int(a._numerator + b._numerator)
        : Fraction(a._numerator * b._denominator + b._numerator * a._denominator, a._denominator * b._denominator);

    /// <summary><c>a * b</c>.</summary>
    public static PyNumber operator *(PyNumber a, PyNumber b) =>
        a.IsFloat || b.IsFloat ? Float(a.ToDouble() * b.ToDouble())
        : a._kind == Kind.Int && b._kind == Kind.Int ? Int(a._numerator * b._numerator)
        : Fraction(a._numerator * b._numerator, a._denominator * b._denominator);

    /// <summary><c>a / b</c> (true division: int/int gives a float).</summary>
    public static PyNumber operator /(PyNumber a, PyNumber b)
    {
        if (a.IsFloat || b.IsFloat)
        {
            return Float(a.ToDouble() / b.ToDouble());
        }
        if (b._numerator.IsZero)
        {
            throw new DivideByZeroException("Python division by zero.");
        }
        return a._kind == Kind.Int && b._kind == Kind.Int
            ? Float(Divide(a._numerator, b._numerator))
            : Fraction(a._numerator * b._denominator, a._denominator * b._numerator);
    }

    /// <summary>Correctly rounded (half-even) <c>numerator / denominator</c>, as Python's int true division.</summary>
    public static double Divide(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.Sign < 0)
        {
            (numerator, denominator) = (-numerator, -denominator);
        }
        if (numerator.IsZero)
        {
            return 0.0;
        }
        var negative = numerator.Sign < 0;
        var n = BigInteger.Abs(numerator);
        const long exact = 1L << 53;
        double result;
        if (n < exact && denominator < exact)
        {
            result = (double)(long)n / (double)(long)denominator;
        }
        else
        {
            // Quotient with 55-56 significant bits plus a sticky bit, then one correctly rounded conversion.
            var shift = 55 - (int)(n.GetBitLength() - denominator.GetBitLength());
            var q = BigInteger.DivRem(shift >= 0 ? n << shift : n, shift >= 0 ? denominator : denominator << -shift, out var r);
            var bits = (ulong)q;
            if (!r.IsZero)
            {
                bits |= 1;
            }
            result = Math.ScaleB((double)bits, -shift);
        }
        return negative ? -result : result;
    }
}
