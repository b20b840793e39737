using System.Text.Json.Nodes;
using Loom.Metrics.Chrf;

namespace Loom.Metrics.Cases;

/// <summary>Runs one <c>sacrebleu_chrf</c> fixture case (sacrebleu 2.6.0 <c>CHRF</c>, corpus or sentence level).</summary>
public static class SacreChrfCase
{
    /// <summary>Computes the case's result object (keys as in the fixture's <c>expected</c>).</summary>
    public static JsonNode Run(JsonObject parameters, JsonObject inputs)
    {
        var chrf = new SacreChrf(new ChrfOptions
        {
            CharOrder = SacreCaseInputs.Int(parameters, "char_order", 6),
            WordOrder = SacreCaseInputs.Int(parameters, "word_order", 0),
            Beta = SacreCaseInputs.Int(parameters, "beta", 2),
            Lowercase = CaseJson.Bool(parameters, "lowercase", false),
            Whitespace = CaseJson.Bool(parameters, "whitespace", false),
            EpsSmoothing = CaseJson.Bool(parameters, "eps_smoothing", false),
        });
        var input = SacreCaseInputs.Read(parameters, inputs);
        var score = chrf.CorpusScore(input.Hypotheses, input.Streams);
        return new JsonObject
        {
            ["score"] = score.Score,
            ["signature"] = score.Signature.Format(),
            ["signature_short"] = score.Signature.Format(shortForm: true),
            ["formatted"] = score.Format(),
            ["stats"] = new JsonArray([.. score.Statistics.Select(s => (JsonNode?)JsonValue.Create(s))]),
        };
    }
}
