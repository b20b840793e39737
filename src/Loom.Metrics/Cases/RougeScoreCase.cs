using System.Text.Json.Nodes;
using Loom.Metrics.Rouge;

namespace Loom.Metrics.Cases;

/// <summary>
/// Fixture adapter for <c>rouge_score</c>: <c>RougeScorer(rouge_types, use_stemmer, split_summaries, tokenizer)</c>
/// then <c>score(target, prediction)</c> or <c>score_multi(targets, prediction)</c>. Tokenizer names:
/// <c>default</c> (rouge-score's, English only), <c>cjk_char</c>, <c>whitespace</c>, <c>cjk</c> (Loom's default).
/// </summary>
public static class RougeScoreCase
{
    /// <summary>Runs one case.</summary>
    public static JsonNode Run(JsonObject parameters, JsonObject inputs)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(inputs);
        var types = parameters["rouge_types"] is { } t
            ? CaseJson.AsStringList(t, "rouge_types")
            : ["rouge1", "rouge2", "rougeL", "rougeLsum"];
        var useStemmer = CaseJson.Bool(parameters, "use_stemmer", false);
        IRougeTokenizer tokenizer = (CaseJson.OptionalString(parameters, "tokenizer") ?? "default") switch
        {
            "default" => new RougeScoreTokenizer(useStemmer),
            "cjk_char" => new CjkCharRougeTokenizer(),
            "whitespace" => new WhitespaceRougeTokenizer(),
            "cjk" => new CjkAwareRougeTokenizer(useStemmer),
            var other => throw new MetricException($"Unknown tokenizer '{other}': expected default, cjk_char, whitespace or cjk."),
        };
        var scorer = new RougeScorer(types, useStemmer, tokenizer, CaseJson.Bool(parameters, "split_summaries", false));
        var prediction = CaseJson.AsString(CaseJson.Required(inputs, "prediction"), "prediction");
        List<string> targets;
        Dictionary<string, RougeScore> scores;
        if (CaseJson.OptionalString(parameters, "method") == "score_multi")
        {
            targets = CaseJson.AsStringList(CaseJson.Required(inputs, "targets"), "targets");
            scores = scorer.ScoreMulti(targets, prediction);
        }
        else
        {
            targets = [CaseJson.AsString(CaseJson.Required(inputs, "target"), "target")];
            scores = scorer.Score(targets[0], prediction);
        }

        var result = new JsonObject();
        foreach (var type in types)
        {
            var s = scores[type];
            result[type] = new JsonObject
            {
                ["precision"] = CaseJson.Number(s.Precision),
                ["recall"] = CaseJson.Number(s.Recall),
                ["fmeasure"] = CaseJson.Number(s.FMeasure),
            };
        }

        result["_tokens"] = new JsonObject
        {
            ["targets"] = CaseJson.StringLists(targets.Select(tokenizer.Tokenize)),
            ["prediction"] = CaseJson.Strings(tokenizer.Tokenize(prediction)),
        };
        return result;
    }
}
