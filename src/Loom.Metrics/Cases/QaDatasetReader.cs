using System.Text.Json.Nodes;
using Loom.Metrics.Qa;

namespace Loom.Metrics.Cases;

/// <summary>Reads SQuAD-format articles (<c>[{"paragraphs": [{"qas": [{"id", "answers": [{"text"}]}]}]}]</c>) and prediction maps.</summary>
public static class QaDatasetReader
{
    /// <summary>The questions of a list of articles, in file order.</summary>
    public static List<QaQuestion> Questions(JsonNode articles, string where)
    {
        ArgumentNullException.ThrowIfNull(articles);
        var questions = new List<QaQuestion>();
        foreach (var (article, a) in CaseJson.AsArray(articles, where).Select((n, i) => (n, i)))
        {
            var articleWhere = $"{where}[{a}]";
            var articleObject = CaseJson.AsObject(article ?? throw new MetricException($"'{articleWhere}' is null."), articleWhere);
            foreach (var (paragraph, p) in CaseJson.AsArray(CaseJson.Required(articleObject, "paragraphs"), articleWhere + ".paragraphs").Select((n, i) => (n, i)))
            {
                var paragraphWhere = $"{articleWhere}.paragraphs[{p}]";
                var paragraphObject = CaseJson.AsObject(paragraph ?? throw new MetricException($"'{paragraphWhere}' is null."), paragraphWhere);
                foreach (var (qa, q) in CaseJson.AsArray(CaseJson.Required(paragraphObject, "qas"), paragraphWhere + ".qas").Select((n, i) => (n, i)))
                {
                    var qaWhere = $"{paragraphWhere}.qas[{q}]";
                    var qaObject = CaseJson.AsObject(qa ?? throw new MetricException($"'{qaWhere}' is null."), qaWhere);
                    var answers = CaseJson.AsArray(CaseJson.Required(qaObject, "answers"), qaWhere + ".answers")
                        .Select((n, i) => CaseJson.AsString(CaseJson.Required(CaseJson.AsObject(n!, $"{qaWhere}.answers[{i}]"), "text"), $"{qaWhere}.answers[{i}].text"))
                        .ToList();
                    questions.Add(new QaQuestion(CaseJson.AsString(CaseJson.Required(qaObject, "id"), qaWhere + ".id"), answers));
                }
            }
        }

        return questions;
    }

    /// <summary>A map question id → predicted answer text.</summary>
    public static Dictionary<string, string> Predictions(JsonNode node, string where) =>
        CaseJson.AsObject(node, where).ToDictionary(p => p.Key,
            p => CaseJson.AsString(p.Value ?? throw new MetricException($"'{where}.{p.Key}' is null."), $"{where}.{p.Key}"),
            StringComparer.Ordinal);
}
