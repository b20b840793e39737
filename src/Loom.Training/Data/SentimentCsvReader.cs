// Reader for SophonPlus/ChineseNlpCorpus sentiment files (waimai_10k.csv, ChnSentiCorp_htl_all.csv): header
// "label,review", label 1 = positive, 0 = negative.
using System.Globalization;

namespace Loom.Training.Data;

/// <summary>Reads "label,review" sentiment CSV files.</summary>
public static class SentimentCsvReader
{
    /// <summary>Every row of <paramref name="path"/>; a label that is not an integer throws <see cref="DataFormatException"/>.</summary>
    public static IEnumerable<LabeledText> Read(string path)
    {
        long row = 1;
        foreach (var record in CsvLoader.ReadRecords(path))
        {
            row++;
            if (!record.TryGetValue("label", out var label) || !record.TryGetValue("review", out var review))
            {
                throw new DataFormatException(path, 1, "a header with columns label and review", string.Join(',', record.Keys));
            }

            if (!int.TryParse(label, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                throw new DataFormatException(path, 0, $"an integer label in record {row}", $"\"{label}\"");
            }

            yield return new LabeledText(value, review);
        }
    }
}
