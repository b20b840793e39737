namespace Loom.Core;

/// <summary>A tensor had the wrong rank or shape for an operation (the message says expected, found and where).</summary>
public sealed class TensorShapeException : ArgumentException
{
    /// <summary>Creates the exception with no message.</summary>
    public TensorShapeException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TensorShapeException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public TensorShapeException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
