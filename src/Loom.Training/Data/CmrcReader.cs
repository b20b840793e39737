// Reader for SQuAD v1-format JSON (Rajpurkar et al. 2016), as used by CMRC 2018 (ymcui/cmrc2018):
// data[].paragraphs[].{context, qas[].{id, question, answers[].{text, answer_start}}}.
using System.Text.Json;

namespace Loom.Training.Data;

/// <summary>Reads CMRC 2018 / SQuAD v1 JSON files.</summary>
public static class CmrcReader
{
    /// <summary>Every question of <paramref name="path"/>, in file order.</summary>
    public static IReadOnlyList<QaExample> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = File.OpenRead(path);
        using var document = PoetryReader.ParseDocument(stream, path);
        var examples = new List<QaExample>();
        foreach (var article in Required(document.RootElement, "data", path).EnumerateArray())
        {
            foreach (var paragraph in Required(article, "paragraphs", path).EnumerateArray())
            {
                var context = Required(paragraph, "context", path).GetString() ?? "";
                foreach (var qa in Required(paragraph, "qas", path).EnumerateArray())
                {
                    var answers = Required(qa, "answers", path).EnumerateArray().ToArray();
                    examples.Add(new QaExample(
                        Required(qa, "id", path).GetString() ?? "",
                        context,
                        Required(qa, "question", path).GetString() ?? "",
                        answers.Select(a => Required(a, "text", path).GetString() ?? "").ToArray(),
                        answers.Select(a => Required(a, "answer_start", path).GetInt32()).ToArray()));
                }
            }
        }

        return examples;
    }

    /// <summary>The distinct passages of <paramref name="path"/> (for pretraining text), in file order.</summary>
    public static IReadOnlyList<string> ReadPassages(string path) =>
        Read(path).Select(e => e.Context).Distinct(StringComparer.Ordinal).ToArray();

    private static JsonElement Required(JsonElement element, string name, string path)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            throw new DataFormatException(path, 0, $"an object with a \"{name}\" field (SQuAD v1 layout)", element.ValueKind.ToString());
        }

        return value;
    }
}
