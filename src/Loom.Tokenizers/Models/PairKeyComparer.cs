namespace Loom.Tokenizers.Models;

/// <summary>
/// Hashes 64-bit keys made of two 32-bit ids. The default <see cref="long"/> hash XORs the halves, which makes
/// every pair (a, b) with the same a ^ b collide; this mixes the bits with a multiplicative (Fibonacci) hash.
/// </summary>
internal sealed class PairKeyComparer : IEqualityComparer<long>
{
    public static readonly PairKeyComparer Instance = new();

    public bool Equals(long x, long y) => x == y;

    public int GetHashCode(long obj) => (int)((ulong)obj * 0x9E3779B97F4A7C15UL >> 32);
}
