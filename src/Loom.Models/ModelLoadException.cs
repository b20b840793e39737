namespace Loom.Models;

/// <summary>
/// A model folder or file that cannot be turned into a model: unknown architecture, missing or malformed
/// <c>config.json</c>, or a configuration the family does not support. The message says what was expected, what was
/// found and where. (Missing or mis-shaped tensors raise <see cref="Loom.Nn.StateDictException"/>.)
/// </summary>
public sealed class ModelLoadException : Exception
{
    /// <summary>Creates the exception without a message.</summary>
    public ModelLoadException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ModelLoadException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ModelLoadException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
