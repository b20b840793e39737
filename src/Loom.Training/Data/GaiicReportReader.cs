// Reader for the GAIIC 2023 track 1 CSV files (LZ-CH/GAIIC2023): "id,description[,diagnosis[,clinical]]", no header,
// each text field a space-separated list of integer ids.
using System.Globalization;

namespace Loom.Training.Data;

/// <summary>Reads GAIIC 2023 medical report CSV files.</summary>
public static class GaiicReportReader
{
    /// <summary>Every report of <paramref name="path"/>.</summary>
    public static IEnumerable<MedicalReport> Read(string path)
    {
        long row = 0;
        foreach (var fields in CsvLoader.ReadRows(path))
        {
            row++;
            if (fields.Length is < 2 or > 4)
            {
                throw new DataFormatException(path, 0, $"2 to 4 fields (id,description[,diagnosis[,clinical]]) in record {row}", $"{fields.Length} fields");
            }

            yield return new MedicalReport(
                fields[0],
                ParseIds(path, row, fields[1]),
                fields.Length > 2 ? ParseIds(path, row, fields[2]) : [],
                fields.Length > 3 ? ParseIds(path, row, fields[3]) : []);
        }
    }

    /// <summary>Space-separated integer ids.</summary>
    public static int[] ParseIds(string source, long record, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ids = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out ids[i]))
            {
                throw new DataFormatException(source, 0, $"space-separated non-negative integer ids in record {record}", $"\"{parts[i]}\"");
            }
        }

        return ids;
    }
}
