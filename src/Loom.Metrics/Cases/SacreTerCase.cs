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
            Normalized = CaseArgs.Bool(parameters, "normalized", false),
            NoPunct = CaseArgs.Bool(parameters, "no_punct", false),
            AsianSupport = CaseArgs.Bool(parameters, "asian_support", false),
            CaseSensitive = CaseArgs.Bool(parameters, "case_sensitive", false),
        });
        var score = CaseArgs.String(parameters, "level") == "sentence"
            ? ter.SentenceScore(CaseArgs.String(inputs, "hypothesis"), CaseArgs.Strings(inputs["references"], "references"))
            : ter.CorpusScore(CaseArgs.Strings(inputs["hypotheses"], "hypotheses"),
                CaseArgs.NullableStringLists(inputs["references"], "references"));
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
