namespace Loom.Core;

/// <summary>An index (dimension, position or token id) was outside the valid range.</summary>
public sealed class TensorIndexException : ArgumentException
{
    /// <summary>Creates the exception with no message.</summary>
    public TensorIndexException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TensorIndexException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public TensorIndexException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
