namespace Loom.Formats;

/// <summary>
/// A model file (safetensors, GGUF, llama2.c) is malformed, truncated, or declares something this reader
/// cannot represent. The message names the format, where in the file the problem is, what was expected
/// and what was found.
/// </summary>
public sealed class ModelFormatException : FormatException
{
    /// <summary>Creates the exception for <paramref name="format"/> ("safetensors", "gguf", "llama2.c").</summary>
    public ModelFormatException(string format, string message)
        : base($"{format}: {message}")
    {
        Format = format;
    }

    /// <summary>Creates the exception with the underlying parser error as inner exception.</summary>
    public ModelFormatException(string format, string message, Exception innerException)
        : base($"{format}: {message}", innerException)
    {
        Format = format;
    }

    /// <summary>Creates the exception with a plain message (format unknown).</summary>
    public ModelFormatException()
        : this("model file", "malformed file")
    {
    }

    /// <summary>Creates the exception with a plain message (format unknown).</summary>
    public ModelFormatException(string message)
        : this("model file", message)
    {
    }

    /// <summary>The file format whose rules were broken.</summary>
    public string Format { get; }
}
