// The labelled data of `loom train finetune`: texts with a label (CSV with a header row, or JSON Lines) and character
// sequences with one tag each (JSON Lines with two arrays, e.g. {"tokens": ["张", "三"], "tags": ["B-PER", "I-PER"]}).
// Field names come from the settings; a missing field names the file, the record and the fields it has.
using System.Globalization;
using System.Text.Json;
using Loom.Training.Data;

namespace Loom.Training.Recipes;

/// <summary>Readers of fine-tuning data.</summary>
public static class FinetuneRecords
{
    /// <summary>(text, label) of every record of a .csv or .jsonl file; labels are kept as text.</summary>
    public static IReadOnlyList<(string Text, string Label)> ReadLabeled(string path, string textField, string labelField)
    {
        ArgumentNullException.ThrowIfNull(path);
        RequireFile(path);
        if (IsCsv(path))
        {
            return [.. CsvLoader.ReadRecords(path).Select((record, i) => (Field(record, textField, path, i), Field(record, labelField, path, i)))];
        }

        return [.. JsonlLoader.Read(path).Select((record, i) => (Scalar(record, textField, path, i), Scalar(record, labelField, path, i)))];
    }

    /// <summary>(tokens, tags) of every record of a .jsonl file; the two arrays must have the same length.</summary>
    public static IReadOnlyList<(string[] Tokens, string[] Tags)> ReadTagged(string path, string tokensField, string tagsField)
    {
        ArgumentNullException.ThrowIfNull(path);
        RequireFile(path);
        if (IsCsv(path))
        {
            throw new ArgumentException($"{path}: token classification reads JSON Lines with '{tokensField}' and '{tagsField}' arrays; found a CSV file.");
        }

        return [.. JsonlLoader.Read(path).Select((record, i) =>
        {
            var (tokens, tags) = (Array(record, tokensField, path, i), Array(record, tagsField, path, i));
            return tokens.Length == tags.Length ? (tokens, tags)
                : throw new DataFormatException(path, i + 1, $"as many '{tagsField}' as '{tokensField}' ({tokens.Length})", tags.Length.ToString(CultureInfo.InvariantCulture));
        })];
    }

    private static void RequireFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Data file '{path}' does not exist.", path);
        }
    }

    private static bool IsCsv(string path) => Path.GetExtension(path).Equals(".csv", StringComparison.OrdinalIgnoreCase);

    private static string Field(IReadOnlyDictionary<string, string> record, string name, string path, int index) =>
        record.TryGetValue(name, out var value) ? value
            : throw new DataFormatException(path, 1, $"a column '{name}' (settings text_field / label_field)", $"columns {string.Join(", ", record.Keys)} in record {index + 1}");

    private static JsonElement Property(JsonElement record, string name, string path, int index) =>
        record.ValueKind == JsonValueKind.Object && record.TryGetProperty(name, out var value) ? value
            : throw new DataFormatException(path, index + 1, $"a field '{name}' (settings text_field / label_field)",
                record.ValueKind == JsonValueKind.Object ? $"fields {string.Join(", ", record.EnumerateObject().Select(p => p.Name))}" : record.ValueKind.ToString());

    private static string Scalar(JsonElement record, string name, string path, int index)
    {
        var value = Property(record, name, path, index);
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => throw new DataFormatException(path, index + 1, $"a text or number in '{name}'", value.ValueKind.ToString()),
        };
    }

    private static string[] Array(JsonElement record, string name, string path, int index)
    {
        var value = Property(record, name, path, index);
        return value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText())]
            : throw new DataFormatException(path, index + 1, $"an array in '{name}'", value.ValueKind.ToString());
    }
}
