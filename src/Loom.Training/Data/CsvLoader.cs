// CSV as in RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180): comma-separated fields; a field in double quotes may hold
// commas, line breaks and doubled quotes (""). Records are streamed; CRLF and LF line ends are both accepted.
using System.Text;

namespace Loom.Training.Data;

/// <summary>Streams the records of a CSV file with RFC 4180 quoting.</summary>
public static class CsvLoader
{
    /// <summary>Every record of <paramref name="path"/> as its fields, header row included.</summary>
    public static IEnumerable<string[]> ReadRows(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        foreach (var row in Parse(reader, path))
        {
            yield return row;
        }
    }

    /// <summary>
    /// The records after the header row, as field name → value. Every record must have as many fields as the header,
    /// or <see cref="DataFormatException"/> names the line.
    /// </summary>
    public static IEnumerable<IReadOnlyDictionary<string, string>> ReadRecords(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        string[]? header = null;
        foreach (var (row, line) in ParseWithLines(reader, path))
        {
            if (header is null)
            {
                header = row;
                continue;
            }

            if (row.Length != header.Length)
            {
                throw new DataFormatException(path, line, $"{header.Length} fields ({string.Join(',', header)})", $"{row.Length} fields");
            }

            var record = new Dictionary<string, string>(header.Length, StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++)
            {
                record[header[i]] = row[i];
            }

            yield return record;
        }
    }

    /// <summary>Parses CSV text from <paramref name="reader"/>; <paramref name="sourceName"/> is used in error messages.</summary>
    public static IEnumerable<string[]> Parse(TextReader reader, string sourceName)
    {
        foreach (var (row, _) in ParseWithLines(reader, sourceName))
        {
            yield return row;
        }
    }

    private static IEnumerable<(string[] Row, long Line)> ParseWithLines(TextReader reader, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var fields = new List<string>();
        var field = new StringBuilder();
        long line = 1;
        long recordLine = 1;
        var inQuotes = false;
        var fieldWasQuoted = false;
        var any = false; // the current record has at least one character
        int c;
        while ((c = reader.Read()) >= 0)
        {
            var ch = (char)c;
            if (inQuotes)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (ch == '\n')
                    {
                        line++;
                    }

                    field.Append(ch);
                }

                continue;
            }

            switch (ch)
            {
                case '"' when field.Length == 0 && !fieldWasQuoted:
                    inQuotes = true;
                    fieldWasQuoted = true;
                    any = true;
                    break;
                case '"':
                    throw new DataFormatException(sourceName, line, "a quote only at the start of a field", "a quote inside an unquoted field");
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldWasQuoted = false;
                    any = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    if (any || field.Length > 0)
                    {
                        fields.Add(field.ToString());
                        yield return (fields.ToArray(), recordLine);
                    }

                    fields.Clear();
                    field.Clear();
                    fieldWasQuoted = false;
                    any = false;
                    line++;
                    recordLine = line;
                    break;
                default:
                    if (fieldWasQuoted)
                    {
                        throw new DataFormatException(sourceName, line, "a comma or line end after a closing quote", $"'{ch}'");
                    }

                    field.Append(ch);
                    any = true;
                    break;
            }
        }

        if (inQuotes)
        {
            throw new DataFormatException(sourceName, recordLine, "a closing quote for the field opened on this line", "end of file");
        }

        if (any || field.Length > 0)
        {
            fields.Add(field.ToString());
            yield return (fields.ToArray(), recordLine);
        }
    }
}
