namespace Loom.Nn;

/// <summary>
/// A fixed-capacity <see cref="KvCache"/> was asked to hold more positions than it was created for. The message gives
/// the capacity, the positions already cached and the positions that did not fit.
/// </summary>
public sealed class KvCacheOverflowException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public KvCacheOverflowException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public KvCacheOverflowException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public KvCacheOverflowException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
