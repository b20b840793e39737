using System.Text.Json.Nodes;
using Loom.Metrics.Cider;

namespace Loom.Metrics.Cases;

/// <summary>Runs one <c>cider_nonD</c> fixture case (original CIDEr, <c>Cider(n=4, df="corpus")</c>).</summary>
public static class CiderNonDCase
{
    /// <summary>Computes the case's result object (keys as in the fixture's <c>expected</c>).</summary>
    public static JsonNode Run(JsonObject parameters, JsonObject inputs)
    {
        if ((CaseJson.OptionalString(parameters, "df") ?? "corpus") != "corpus")
        {
            throw new MetricException("cider_nonD: only df=\"corpus\" (document frequencies from the evaluated set) is supported.");
        }
        var examples = CocoCaptionCase.ReadExamples(inputs);
        var result = CiderScorer.Compute(examples, CiderVariant.Cider, (int)(CaseJson.OptionalDouble(parameters, "n") ?? 4));
        return new JsonObject
        {
            ["score"] = result.Score,
            ["scores"] = CaseJson.Numbers(result.Scores),
            ["image_ids"] = CaseJson.Strings(examples.Select(e => e.ImageId)),
        };
    }
}
