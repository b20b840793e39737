using Loom.Core;

namespace Loom.Training.Objectives;

/// <summary>Right-padding of variable-length rows into (B, T) tensors.</summary>
public static class BatchPadding
{
    /// <summary>
    /// (B, T) with row b = <paramref name="rows"/>[b] followed by <paramref name="padValue"/>; T is the longest row, or
    /// <paramref name="length"/> when given (a longer row throws).
    /// </summary>
    public static IntTensor Pad(IReadOnlyList<int[]> rows, int padValue, int? length = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw new ArgumentException("Padding: expected at least one sequence; found an empty batch.", nameof(rows));
        }

        var t = length ?? rows.Max(r => r.Length);
        var data = new int[rows.Count * t];
        for (var b = 0; b < rows.Count; b++)
        {
            var row = rows[b];
            if (row.Length > t)
            {
                throw new ArgumentException($"Padding: expected sequences of at most {t} tokens; found {row.Length} at batch row {b}.", nameof(rows));
            }

            row.CopyTo(data, b * t);
            data.AsSpan(b * t + row.Length, t - row.Length).Fill(padValue);
        }

        return IntTensor.FromArray(data, rows.Count, t);
    }

    /// <summary>(B, T) attention mask: 1 for the first length(b) positions of row b, 0 after.</summary>
    public static IntTensor Mask(IReadOnlyList<int[]> rows, int? length = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var ones = rows.Select(r => Enumerable.Repeat(1, r.Length).ToArray()).ToArray();
        return Pad(ones, 0, length);
    }
}
