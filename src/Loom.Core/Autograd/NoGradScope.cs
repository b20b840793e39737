namespace Loom.Core.Autograd;

/// <summary>While alive (until disposed), operations on the current thread record no autograd graph.</summary>
public readonly struct NoGradScope : IDisposable, IEquatable<NoGradScope>
{
    internal static NoGradScope Begin()
    {
        GradMode.Enter();
        return default;
    }

    /// <summary>Ends the scope.</summary>
    public void Dispose() => GradMode.Exit();

    /// <inheritdoc/>
    public bool Equals(NoGradScope other) => true;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is NoGradScope;

    /// <inheritdoc/>
    public override int GetHashCode() => 0;

    /// <summary>All scopes are equal.</summary>
    public static bool operator ==(NoGradScope left, NoGradScope right) => true;

    /// <summary>All scopes are equal.</summary>
    public static bool operator !=(NoGradScope left, NoGradScope right) => false;
}
