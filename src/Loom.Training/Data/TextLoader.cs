// Streaming plain-text reader: files are read lazily, line by line, so a corpus larger than memory can be tokenized
// one document at a time.
namespace Loom.Training.Data;

/// <summary>Reads plain text files as a stream of lines, of blank-line-separated paragraphs, or whole.</summary>
public static class TextLoader
{
    /// <summary>Every line of <paramref name="path"/> (without its line break), read lazily; empty lines are skipped when <paramref name="skipEmpty"/>.</summary>
    public static IEnumerable<string> ReadLines(string path, bool skipEmpty = true)
    {
        ArgumentNullException.ThrowIfNull(path);
        foreach (var line in File.ReadLines(path))
        {
            if (!skipEmpty || line.Length > 0)
            {
                yield return line;
            }
        }
    }

    /// <summary>
    /// Documents separated by one or more blank lines (lines of only white space count as blank); the lines of a
    /// document are joined with '\n'.
    /// </summary>
    public static IEnumerable<string> ReadParagraphs(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var current = new List<string>();
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                if (current.Count > 0)
                {
                    yield return string.Join('\n', current);
                    current.Clear();
                }
            }
            else
            {
                current.Add(line);
            }
        }

        if (current.Count > 0)
        {
            yield return string.Join('\n', current);
        }
    }

    /// <summary>The whole file as one string (UTF-8).</summary>
    public static string ReadAll(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return File.ReadAllText(path);
    }
}
