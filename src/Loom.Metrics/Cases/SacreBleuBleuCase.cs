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
            Lowercase = CaseJson.Bool(parameters, "lowercase", false),
            Tokenize = CaseJson.OptionalString(parameters, "tokenize") ?? "13a",
            Smoothing = SacreBleu.ParseSmoothing(CaseJson.OptionalString(parameters, "smooth_method") ?? "exp"),
            SmoothValue = CaseJson.OptionalDouble(parameters, "smooth_value"),
            MaxNgramOrder = SacreCaseInputs.Int(parameters, "max_ngram_order", 4),
            EffectiveOrder = CaseJson.Bool(parameters, "effective_order", false),
        });
        var input = SacreCaseInputs.Read(parameters, inputs);
        var score = bleu.CorpusScore(input.Hypotheses, input.Streams);
        var tokenizedStreams = input.Streams.Select(s => s.Select(r => r is null ? null : bleu.Preprocess(r)).ToList()).ToList();
        var tokenized = input.IsSentence
            ? new JsonObject
            {
                ["hypothesis"] = bleu.Preprocess(input.Hypotheses[0]),
                ["references"] = CaseJson.Strings(tokenizedStreams.Select(s => s[0]!)),
            }
            : new JsonObject
            {
                ["hypotheses"] = CaseJson.Strings(input.Hypotheses.Select(bleu.Preprocess)),
                ["references"] = new JsonArray([.. tokenizedStreams.Select(s =>
                    (JsonNode?)new JsonArray([.. s.Select(r => (JsonNode?)JsonValue.Create(r))]))]),
            };
        return new JsonObject
        {
            ["score"] = score.Score,
            ["counts"] = CaseJson.Numbers(score.Counts),
            ["totals"] = CaseJson.Numbers(score.Totals),
            ["precisions"] = CaseJson.Numbers(score.Precisions),
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
