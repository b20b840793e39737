using System.Text.Json.Nodes;
using Loom.Metrics.Bleu;
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
            CharOrder = CaseArgs.Int(parameters, "char_order", 6),
            WordOrder = CaseArgs.Int(parameters, "word_order", 0),
            Beta = CaseArgs.Int(parameters, "beta", 2),
            Lowercase = CaseArgs.Bool(parameters, "lowercase", false),
            Whitespace = CaseArgs.Bool(parameters, "whitespace", false),
            EpsSmoothing = CaseArgs.Bool(parameters, "eps_smoothing", false),
        });
        var score = CaseArgs.String(parameters, "level") == "sentence"
            ? chrf.SentenceScore(CaseArgs.String(inputs, "hypothesis"), CaseArgs.Strings(inputs["references"], "references"))
            : chrf.CorpusScore(CaseArgs.Strings(inputs["hypotheses"], "hypotheses"),
                CaseArgs.NullableStringLists(inputs["references"], "references"));
        return new JsonObject
        {
            ["score"] = score.Score,
            ["signature"] = score.Signature.Format(),
            ["signature_short"] = score.Signature.Format(shortForm: true),
            ["formatted"] = score.Format(),
            ["stats"] = CaseArgs.Array(score.Statistics.Select(s => (double)s)),
        };
    }
}
