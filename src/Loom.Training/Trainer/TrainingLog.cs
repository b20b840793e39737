// The JSONL run log: one JSON object per line, {"kind": "train" | "eval", "step": n, ...numbers}. Lines are flushed as
// they are written, so a killed run leaves every completed line; resuming cuts the log back to the checkpoint's step,
// so the log of a resumed run reads like the log of a run that never stopped.
using System.Text;
using System.Text.Json;

namespace Loom.Training;

/// <summary>Appends and reads the JSONL training log.</summary>
public static class TrainingLog
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Appends <paramref name="record"/> as one line to <paramref name="path"/>.</summary>
    public static void Append(string path, LogRecord record)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(record);
        File.AppendAllText(path, Format(record) + "\n", Utf8);
    }

    /// <summary>The JSON line of <paramref name="record"/> (non-finite numbers are written as null).</summary>
    public static string Format(LogRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("kind", record.Kind);
            json.WriteNumber("step", record.Step);
            foreach (var (name, value) in record.Values)
            {
                if (double.IsFinite(value))
                {
                    json.WriteNumber(name, value);
                }
                else
                {
                    json.WriteNull(name);
                }
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads every record of <paramref name="path"/> (empty when the file does not exist).</summary>
    public static IReadOnlyList<LogRecord> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            return [];
        }

        var records = new List<LogRecord>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                records.Add(Parse(line));
            }
            catch (JsonException e)
            {
                throw new FormatException($"Training log '{path}', line {lineNumber}: not a JSON object ({e.Message}).", e);
            }
        }

        return records;
    }

    /// <summary>Rewrites <paramref name="path"/> keeping only the records of steps ≤ <paramref name="step"/> (a torn last line is dropped).</summary>
    public static void TruncateAfter(string path, int step)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            return;
        }

        var kept = new StringBuilder();
        foreach (var line in File.ReadLines(path))
        {
            LogRecord record;
            try
            {
                record = Parse(line);
            }
            catch (JsonException)
            {
                continue; // the line a kill cut in half
            }

            if (record.Step <= step)
            {
                kept.Append(line).Append('\n');
            }
        }

        var temporary = path + ".tmp";
        File.WriteAllText(temporary, kept.ToString(), Utf8);
        File.Move(temporary, path, overwrite: true);
    }

    private static LogRecord Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("kind", out var kind) || !root.TryGetProperty("step", out var step))
        {
            throw new JsonException("expected an object with \"kind\" and \"step\"");
        }

        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (property.Name is "kind" or "step")
            {
                continue;
            }

            values[property.Name] = property.Value.ValueKind == JsonValueKind.Number ? property.Value.GetDouble() : double.NaN;
        }

        return new LogRecord(kind.GetString() ?? string.Empty, step.GetInt32(), values);
    }
}
