namespace Loom.Core;

/// <summary>
/// The complete internal state of a <see cref="Generator"/>: the four xoshiro256** words and the cached second
/// Box–Muller normal. Saved with a training checkpoint, it makes a restored generator continue the exact same stream.
/// </summary>
/// <param name="S0">First state word.</param>
/// <param name="S1">Second state word.</param>
/// <param name="S2">Third state word.</param>
/// <param name="S3">Fourth state word.</param>
/// <param name="SpareNormal">The cached normal sample (meaningful only when <paramref name="HasSpareNormal"/>).</param>
/// <param name="HasSpareNormal">Whether the next <see cref="Generator.NextNormal"/> returns <paramref name="SpareNormal"/>.</param>
public sealed record GeneratorState(ulong S0, ulong S1, ulong S2, ulong S3, double SpareNormal, bool HasSpareNormal);
