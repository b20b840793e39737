namespace Loom.Tokenizers;

/// <summary>A tokenizer error: bad input, bad settings or a corrupt tokenizer file. The message says what was expected and found.</summary>
public class TokenizerException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TokenizerException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TokenizerException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public TokenizerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
