namespace Loom.Examples;

/// <summary>
/// An <see cref="IProgress{T}"/> that runs its handler on the reporting thread, in order (unlike
/// <see cref="Progress{T}"/>, which posts to the thread pool in a console program and may print out of order).
/// </summary>
/// <typeparam name="T">The report type.</typeparam>
public sealed class InlineProgress<T>(Action<T> handler) : IProgress<T>
{
    /// <inheritdoc/>
    public void Report(T value) => handler(value);
}
