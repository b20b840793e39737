namespace Loom.Training.Data;

/// <summary>
/// A data file that does not have the expected shape: the message names the source, the line (1-based, 0 when
/// unknown), what was expected and what was found.
/// </summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="source"/> at <paramref name="line"/>.</summary>
    public DataFormatException(string source, long line, string expected, string found)
        : base($"{source}{(line > 0 ? $":{line}" : "")}: expected {expected}; found {found}.")
    {
        Source = source;
        Line = line;
    }

    /// <summary>Creates the exception with a free-form message.</summary>
    public DataFormatException(string message)
        : base(message)
    {
        Source = "";
    }

    /// <summary>Creates the exception with a free-form message and an inner exception.</summary>
    public DataFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Source = "";
    }

    /// <summary>Creates the exception with no message.</summary>
    public DataFormatException()
    {
        Source = "";
    }

    /// <summary>The file (or other source) that was being read.</summary>
    public new string Source { get; }

    /// <summary>The 1-based line number, or 0 when unknown.</summary>
    public long Line { get; }
}
