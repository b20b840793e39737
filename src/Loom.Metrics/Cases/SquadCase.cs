using System.Text.Json.Nodes;
using Loom.Metrics.Qa;

namespace Loom.Metrics.Cases;

/// <summary>Fixture adapter for <c>squad_v1</c>: <c>kind: "pair"</c> (one prediction, its gold answers) or <c>"dataset"</c>.</summary>
public static class SquadCase
{
    /// <summary>Runs one case.</summary>
    public static JsonNode Run(JsonObject parameters, JsonObject inputs)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(inputs);
        if (CaseJson.OptionalString(parameters, "kind") == "dataset")
        {
            var (em, f1) = SquadEvaluator.Score(
                QaDatasetReader.Questions(CaseJson.Required(inputs, "dataset"), "dataset"),
                QaDatasetReader.Predictions(CaseJson.Required(inputs, "predictions"), "predictions"));
            return new JsonObject { ["exact_match"] = em, ["f1"] = f1 };
        }

        var prediction = CaseJson.AsString(CaseJson.Required(inputs, "prediction"), "prediction");
        var truths = CaseJson.AsStringList(CaseJson.Required(inputs, "ground_truths"), "ground_truths");
        var (exact, f) = SquadEvaluator.ScorePair(prediction, truths);
        return new JsonObject
        {
            ["exact_match"] = exact,
            ["f1"] = f,
            ["normalized_prediction"] = SquadEvaluator.NormalizeAnswer(prediction),
            ["normalized_ground_truths"] = CaseJson.Strings(truths.Select(SquadEvaluator.NormalizeAnswer)),
        };
    }
}
