using System.Text.Json.Nodes;
using Loom.Metrics.Ter;

namespace Loom.Metrics.Cases;

/// <summary>Runs one <c>sacrebleu_ter</c> fixture case (sacrebleu 2.6.0 <c>TER</c>, corpus or sentence level).</summary>
public static class SacreTerCase
{
    /// <summary>Computes the case's result object (keys as in the fixture's <c>expected</c>).</summary>
    public static JsonNode Run(JsonObject parameters, JsonObject inputs)
    {
        var ter = new SacreTer(new TerOptions
        {
            Normalized = CaseJson.Bool(parameters, "normalized", false),
            NoPunct = CaseJson.Bool(parameters, "no_punct", false),
            AsianSupport = CaseJson.Bool(parameters, "asian_support", false),
            CaseSensitive = CaseJson.Bool(parameters, "case_sensitive", false),
        });
        var input = SacreCaseInputs.Read(parameters, inputs);
        var score = ter.CorpusScore(input.Hypotheses, input.Streams);
        return new JsonObject
        {
            ["score"] = score.Score,
            ["num_edits"] = score.NumEdits,
            ["ref_length"] = score.RefLength,
            ["signature"] = score.Signature.Format(),
            ["signature_short"] = score.Signature.Format(shortForm: true),
            ["formatted"] = score.Format(),
        };
    }
}
