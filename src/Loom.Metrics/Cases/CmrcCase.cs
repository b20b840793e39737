using System.Text.Json.Nodes;
using Loom.Metrics.Qa;

namespace Loom.Metrics.Cases;

/// <summary>Fixture adapter for <c>cmrc2018</c>: <c>kind: "pair"</c> or <c>"dataset"</c> (ground truth in SQuAD format).</summary>
public static class CmrcCase
{
    /// <summary>Runs one case.</summary>
    public static JsonNode Run(JsonObject parameters, JsonObject inputs)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(inputs);
        if (CaseJson.OptionalString(parameters, "kind") == "dataset")
        {
            var truth = CaseJson.AsObject(CaseJson.Required(inputs, "ground_truth"), "ground_truth");
            var r = Cmrc2018Evaluator.Evaluate(
                QaDatasetReader.Questions(CaseJson.Required(truth, "data"), "ground_truth.data"),
                QaDatasetReader.Predictions(CaseJson.Required(inputs, "predictions"), "predictions"));
            return new JsonObject
            {
                ["F1"] = r.F1,
                ["EM"] = r.ExactMatch,
                ["TOTAL"] = r.Total,
                ["SKIP"] = r.Skipped,
                ["AVERAGE"] = r.Average,
                ["F1_str"] = Cmrc2018Result.Format(r.F1),
                ["EM_str"] = Cmrc2018Result.Format(r.ExactMatch),
                ["AVERAGE_str"] = Cmrc2018Result.Format(r.Average),
            };
        }

        var answers = CaseJson.AsStringList(CaseJson.Required(inputs, "answers"), "answers");
        var prediction = CaseJson.AsString(CaseJson.Required(inputs, "prediction"), "prediction");
        return new JsonObject
        {
            ["em"] = Cmrc2018Evaluator.ExactMatch(answers, prediction),
            ["f1"] = Cmrc2018Evaluator.F1(answers, prediction),
            ["segments"] = new JsonObject
            {
                ["prediction"] = CaseJson.Strings(Cmrc2018Evaluator.MixedSegmentation(prediction, true)),
                ["answers"] = CaseJson.StringLists(answers.Select(a => Cmrc2018Evaluator.MixedSegmentation(a, true))),
            },
            ["no_punct"] = new JsonObject
            {
                ["prediction"] = Cmrc2018Evaluator.RemovePunctuation(prediction),
                ["answers"] = CaseJson.Strings(answers.Select(Cmrc2018Evaluator.RemovePunctuation)),
            },
        };
    }
}
