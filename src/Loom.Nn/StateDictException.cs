namespace Loom.Nn;

/// <summary>
/// A checkpoint and a model disagree: a parameter the model needs is missing, a checkpoint tensor is not used by the
/// model, or a shape differs. The message names the key, what was expected and what was found.
/// </summary>
public sealed class StateDictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StateDictException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public StateDictException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public StateDictException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
