// Reader for the chinese-poetry/chinese-poetry JSON files (tangshi300.json, songci300.json, poet.tang.*.json,
// ci.song.*.json): a JSON array of objects with "author", "paragraphs" and "title" (ci: "rhythmic").
using System.Text.Json;

namespace Loom.Training.Data;

/// <summary>Reads the poems of a chinese-poetry JSON file.</summary>
public static class PoetryReader
{
    /// <summary>All poems of <paramref name="path"/>, in file order.</summary>
    public static IReadOnlyList<Poem> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = File.OpenRead(path);
        using var document = ParseDocument(stream, path);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new DataFormatException(path, 0, "a JSON array of poems", document.RootElement.ValueKind.ToString());
        }

        var poems = new List<Poem>();
        var index = 0;
        foreach (var item in document.RootElement.EnumerateArray())
        {
            if (!item.TryGetProperty("paragraphs", out var paragraphs) || paragraphs.ValueKind != JsonValueKind.Array)
            {
                throw new DataFormatException(path, 0, $"poem {index} to have a \"paragraphs\" array", item.ValueKind.ToString());
            }

            var title = StringOrEmpty(item, "title");
            if (title.Length == 0)
            {
                title = StringOrEmpty(item, "rhythmic");
            }

            var lines = paragraphs.EnumerateArray().Select(p => p.GetString() ?? "").ToArray();
            poems.Add(new Poem(title, StringOrEmpty(item, "author"), lines));
            index++;
        }

        return poems;
    }

    private static string StringOrEmpty(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    internal static JsonDocument ParseDocument(Stream stream, string path)
    {
        try
        {
            return JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, e.LineNumber is { } l ? l + 1 : 0, "valid JSON", e.Message);
        }
    }
}
