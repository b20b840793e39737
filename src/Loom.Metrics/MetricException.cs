namespace Loom.Metrics;

/// <summary>
/// Raised when a metric receives input that its reference implementation rejects (the Python reference raises
/// <c>ValueError</c>, <c>ZeroDivisionError</c>, <c>KeyError</c>, ...). The message says what was expected, what was
/// found and where, instead of returning a number that would silently differ from the reference.
/// </summary>
public class MetricException : Exception
{
    /// <summary>Creates an empty exception.</summary>
    public MetricException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public MetricException(string message) : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    public MetricException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
