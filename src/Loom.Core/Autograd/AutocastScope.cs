using Loom.Kernels;

namespace Loom.Core.Autograd;

/// <summary>
/// While alive (until disposed), matrix products on the current thread round their operands as
/// <see cref="Tensor.Autocast"/> was told; disposing restores the precision that was in force before.
/// </summary>
public readonly struct AutocastScope : IDisposable, IEquatable<AutocastScope>
{
    private readonly GemmPrecision _previous;

    internal AutocastScope(GemmPrecision previous) => _previous = previous;

    /// <summary>Ends the scope.</summary>
    public void Dispose() => AutocastMode.Exchange(_previous);

    /// <inheritdoc/>
    public bool Equals(AutocastScope other) => _previous == other._previous;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is AutocastScope other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => (int)_previous;

    /// <summary>Scopes that restore the same precision are equal.</summary>
    public static bool operator ==(AutocastScope left, AutocastScope right) => left.Equals(right);

    /// <summary>Scopes that restore different precisions differ.</summary>
    public static bool operator !=(AutocastScope left, AutocastScope right) => !left.Equals(right);
}
