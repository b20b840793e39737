using System.Text.Json.Nodes;
using Loom.Metrics.Bleu;

namespace Loom.Metrics.Cases;

/// <summary>Runs one <c>sacrebleu_bleu</c> fixture case (sacrebleu 2.6.0 <c>BLEU</c>, corpus or sentence level).</summary>
public static class SacreBleuBleuCase
{
    /// <summary>Computes the case's result object (keys as in the fixture's <c>expected</c>).</summary>
    public static JsonNode Run(JsonObject parameters, JsonObject inputs)
    {
        var bleu = new SacreBleu(new SacreBleuOptions
        {
            Lowercase = CaseArgs.Bool(parameters, "lowercase", false),
            Tokenize = CaseArgs.String(parameters, "tokenize", "13a"),
            Smoothing = SacreBleu.ParseSmoothing(CaseArgs.String(parameters, "smooth_method", "exp")),
            SmoothValue = CaseArgs.OptionalNumber(parameters, "smooth_value"),
            MaxNgramOrder = CaseArgs.Int(parameters, "max_ngram_order", 4),
            EffectiveOrder = CaseArgs.Bool(parameters, "effective_order", false),
        });
        BleuScore score;
        JsonObject tokenized;
        if (CaseArgs.String(parameters, "level") == "sentence")
        {
            var hypothesis = CaseArgs.String(inputs, "hypothesis");
            var references = CaseArgs.Strings(inputs["references"], "references");
            score = bleu.SentenceScore(hypothesis, references);
            tokenized = new JsonObject
            {
                ["hypothesis"] = bleu.Preprocess(hypothesis),
                ["references"] = CaseArgs.Array(references.Select(bleu.Preprocess)),
            };
        }
        else
        {
            var hypotheses = CaseArgs.Strings(inputs["hypotheses"], "hypotheses");
            var streams = CaseArgs.NullableStringLists(inputs["references"], "references");
            score = bleu.CorpusScore(hypotheses, streams);
            tokenized = new JsonObject
            {
                ["hypotheses"] = CaseArgs.Array(hypotheses.Select(bleu.Preprocess)),
                ["references"] = new JsonArray(streams.Select(s =>
                    (JsonNode?)CaseArgs.Array(s.Select(r => r is null ? null : bleu.Preprocess(r)))).ToArray()),
            };
        }
        return new JsonObject
        {
            ["score"] = score.Score,
            ["counts"] = CaseArgs.Array(score.Counts),
            ["totals"] = CaseArgs.Array(score.Totals),
            ["precisions"] = new JsonArray(score.Precisions.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray()),
            ["bp"] = score.BrevityPenalty,
            ["sys_len"] = score.SysLen,
            ["ref_len"] = score.RefLen,
            ["signature"] = score.Signature.Format(),
            ["signature_short"] = score.Signature.Format(shortForm: true),
            ["formatted"] = score.Format(),
            ["tokenized"] = tokenized,
        };
    }
}
