// The text file of a pretraining recipe and its cutting into rows.
using System.Text;

namespace Loom.Training.Recipes;

internal static class PretrainingText
{
    // The UTF-8 text of the 'text' setting; throws naming the setting when the file is missing.
    public static string Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Setting 'text': '{path}' does not exist.", path);
        }

        return File.ReadAllText(path, Encoding.UTF8);
    }

    // Consecutive, non-overlapping rows of rowLength ids, each passed through wrap; a shorter tail is dropped.
    public static List<int[]> Rows(int[] ids, int rowLength, Func<int[], int[]> wrap)
    {
        var rows = new List<int[]>(ids.Length / rowLength);
        for (var start = 0; start + rowLength <= ids.Length; start += rowLength)
        {
            rows.Add(wrap(ids[start..(start + rowLength)]));
        }

        return rows;
    }
}
