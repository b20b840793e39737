// JSON Lines (https://jsonlines.org): one JSON value per line, read lazily.
using System.Text.Json;

namespace Loom.Training.Data;

/// <summary>Streams the records of a JSON Lines file.</summary>
public static class JsonlLoader
{
    /// <summary>Each non-blank line parsed as a JSON value; a line that is not valid JSON throws <see cref="DataFormatException"/> naming the line.</summary>
    public static IEnumerable<JsonElement> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        long lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            yield return Parse(path, lineNumber, line);
        }
    }

    /// <summary>The string field <paramref name="field"/> of every record (e.g. "text").</summary>
    public static IEnumerable<string> ReadField(string path, string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        long record = 0;
        foreach (var element in Read(path))
        {
            record++;
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(field, out var value) || value.ValueKind != JsonValueKind.String)
            {
                throw new DataFormatException(path, 0, $"record {record} to be an object with a string field \"{field}\"", Describe(element));
            }

            yield return value.GetString()!;
        }
    }

    private static JsonElement Parse(string path, long lineNumber, string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, lineNumber, "one JSON value per line", $"invalid JSON ({e.Message})");
        }
    }

    private static string Describe(JsonElement element)
    {
        var text = element.GetRawText();
        return text.Length > 60 ? text[..60] + "…" : text;
    }
}
