// Seeded pseudo-random generator: xoshiro256** (Blackman & Vigna 2018, https://prng.di.unimi.it/xoshiro256starstar.c)
// seeded through SplitMix64, with Box–Muller normals. Implemented here so that the same seed gives the same bits on
// every .NET version and machine.
namespace Loom.Core;

/// <summary>An explicit, seeded random number generator for tensor creation and dropout.</summary>
public sealed class Generator
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareNormal;
    private bool _hasSpare;

    /// <summary>Creates a generator whose whole stream is determined by <paramref name="seed"/>.</summary>
    public Generator(ulong seed)
    {
        var x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>
    /// The generator's complete state; setting it makes this generator continue exactly where the one it was read
    /// from stood (an all-zero xoshiro state, which would only ever yield zeros, is rejected).
    /// </summary>
    public GeneratorState State
    {
        get => new(_s0, _s1, _s2, _s3, _spareNormal, _hasSpare);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if ((value.S0 | value.S1 | value.S2 | value.S3) == 0)
            {
                throw new ArgumentException("Generator state: the four xoshiro256** words must not all be zero.", nameof(value));
            }

            (_s0, _s1, _s2, _s3, _spareNormal, _hasSpare) = (value.S0, value.S1, value.S2, value.S3, value.SpareNormal, value.HasSpareNormal);
        }
    }

    /// <summary>Next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 24 random bits (every float32 step of 2⁻²⁴).</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1d / (1UL << 53));

    /// <summary>Uniform integer in [0, maxExclusive).</summary>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        return (int)(NextUInt64() % (ulong)maxExclusive);
    }

    /// <summary>Standard normal sample (Box–Muller, both values of each pair used).</summary>
    public double NextNormal()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spareNormal;
        }

        var u1 = 1d - NextDouble(); // (0, 1]
        var u2 = NextDouble();
        var radius = Math.Sqrt(-2d * Math.Log(u1));
        _spareNormal = radius * Math.Sin(2d * Math.PI * u2);
        _hasSpare = true;
        return radius * Math.Cos(2d * Math.PI * u2);
    }

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
