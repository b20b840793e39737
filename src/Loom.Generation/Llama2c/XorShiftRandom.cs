// llama2.c run.c's random number generator (random_u32 / random_f32): xorshift* (Marsaglia 2003; Vigna 2016) on a
// 64-bit state, the high 32 bits of state × 0x2545F4914F6CDD1D, and a float from the top 24 of those bits.
namespace Loom.Generation.Llama2c;

/// <summary>run.c's xorshift* generator, bit for bit.</summary>
public sealed class XorShiftRandom(ulong seed)
{
    private ulong _state = seed;

    /// <summary>random_u32.</summary>
    public uint NextUInt32()
    {
        _state ^= _state >> 12;
        _state ^= _state << 25;
        _state ^= _state >> 27;
        return (uint)((_state * 0x2545F4914F6CDD1DUL) >> 32);
    }

    /// <summary>random_f32: a float in [0, 1).</summary>
    public float NextSingle() => (NextUInt32() >> 8) / 16777216.0f;
}
