// Case format: ../shared/fixtures/metrics/README.md ({"metric", "cases": [{"id", "params", "inputs", "expected"}]}).
using System.Text.Json.Nodes;

namespace Loom.Metrics.Cases;

/// <summary>
/// Registry from a fixture file's <c>"metric"</c> name (schema of <c>../shared/fixtures/metrics/</c>) to the adapter
/// that runs one case: <c>(params, inputs) → result</c> with the keys of the fixture's <c>expected</c>, throwing
/// <see cref="MetricException"/> where the reference implementation raises. Used by the conformance tests and by
/// <c>loom eval --cases</c>.
/// </summary>
public static class MetricCases
{
    private static readonly Dictionary<string, Func<JsonObject, JsonObject, JsonNode>> Runners = new(StringComparer.Ordinal)
    {
        ["rouge_score"] = RougeScoreCase.Run,
        ["nltk_porter_stemmer"] = PorterStemmerCase.Run,
        ["squad_v1"] = SquadCase.Run,
        ["cmrc2018"] = CmrcCase.Run,
        ["seqeval"] = SeqevalCase.Run,
        ["rank_bm25"] = RankBm25Case.RunCurrent,
        ["rank_bm25_pypi_0.2.2"] = RankBm25Case.RunPyPi022,
        ["sacrebleu_bleu"] = SacreBleuBleuCase.Run,
        ["sacrebleu_chrf"] = SacreChrfCase.Run,
        ["sacrebleu_ter"] = SacreTerCase.Run,
        ["nltk_bleu"] = NltkBleuCase.Run,
        ["coco_caption"] = CocoCaptionCase.Run,
        ["cider_nonD"] = CiderNonDCase.Run,
    };

    /// <summary>The metric names that have an adapter.</summary>
    public static IReadOnlyCollection<string> Metrics => Runners.Keys;

    /// <summary>Runs one case of <paramref name="metric"/>.</summary>
    public static JsonNode Run(string metric, JsonObject parameters, JsonObject inputs)
    {
        ArgumentNullException.ThrowIfNull(metric);
        if (!Runners.TryGetValue(metric, out var runner))
        {
            throw new MetricException($"Unknown metric '{metric}': expected one of {string.Join(", ", Runners.Keys.Order(StringComparer.Ordinal))}.");
        }

        return runner(parameters, inputs);
    }

    /// <summary>
    /// Runs every case of a fixture-format document <c>{"metric", "cases": [{"id", "params", "inputs"}]}</c> and
    /// yields <c>{"id", "result"}</c> or, where the metric rejects the input or the case is malformed,
    /// <c>{"id", "error"}</c>.
    /// </summary>
    public static IEnumerable<JsonObject> RunAll(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var metric = CaseJson.AsString(CaseJson.Required(document, "metric"), "metric");
        var cases = CaseJson.AsArray(CaseJson.Required(document, "cases"), "cases");
        for (var i = 0; i < cases.Count; i++)
        {
            var entry = CaseJson.AsObject(cases[i] ?? throw new MetricException($"'cases[{i}]' is null."), $"cases[{i}]");
            var id = entry["id"]?.DeepClone();
            JsonObject line;
            try
            {
                var parameters = entry["params"] is { } p ? CaseJson.AsObject(p, "params") : [];
                var inputs = CaseJson.AsObject(CaseJson.Required(entry, "inputs"), "inputs");
                var result = Run(metric, parameters, inputs);
                line = new JsonObject { ["id"] = id, ["result"] = result };
            }
            catch (MetricException e)
            {
                line = new JsonObject { ["id"] = id, ["error"] = e.Message };
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException or KeyNotFoundException)
            {
                // Malformed case JSON (wrong value kinds) reported per case rather than aborting the whole file.
                line = new JsonObject { ["id"] = id, ["error"] = $"invalid case input ({e.GetType().Name}): {e.Message}" };
            }

            yield return line;
        }
    }
}
