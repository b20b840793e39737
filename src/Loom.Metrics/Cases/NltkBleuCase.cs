using System.Text.Json.Nodes;
using Loom.Metrics.Bleu;

namespace Loom.Metrics.Cases;

/// <summary>Runs one <c>nltk_bleu</c> fixture case (nltk 3.8 <c>sentence_bleu</c> / <c>corpus_bleu</c>).</summary>
public static class NltkBleuCase
{
    /// <summary>Computes the case's result object (keys as in the fixture's <c>expected</c>).</summary>
    public static JsonNode Run(JsonObject parameters, JsonObject inputs)
    {
        IReadOnlyList<IReadOnlyList<double>>? weights = null;
        var multiple = false;
        if (parameters["weights"] is JsonArray w && w.Count > 0)
        {
            multiple = w[0] is JsonArray;
            weights = multiple
                ? w.Select(x => (IReadOnlyList<double>)x!.AsArray().Select(y => y!.GetValue<double>()).ToList()).ToList()
                : [w.Select(y => y!.GetValue<double>()).ToList()];
        }
        var smoothing = ParseSmoothing(parameters);
        var autoReweigh = CaseJson.Bool(parameters, "auto_reweigh", false);
        var sentence = CaseJson.AsString(CaseJson.Required(parameters, "level"), "params.level") == "sentence";
        var result = sentence
            ? NltkBleu.Sentence(TokenLists(CaseJson.Required(inputs, "references")), Tokens(CaseJson.Required(inputs, "hypothesis")), weights, smoothing, autoReweigh)
            : NltkBleu.Corpus(
                CaseJson.AsArray(CaseJson.Required(inputs, "list_of_references"), "list_of_references").Select(TokenLists).ToList(),
                CaseJson.AsStringLists(CaseJson.Required(inputs, "hypotheses"), "hypotheses"), weights, smoothing, autoReweigh);
        JsonNode score = multiple ? CaseJson.Numbers(result.Scores) : JsonValue.Create(result.Scores[0]);
        if (!sentence)
        {
            return new JsonObject { ["score"] = score };
        }
        return new JsonObject
        {
            ["modified_precisions"] = new JsonArray(result.ModifiedPrecisions
                .Select(p => (JsonNode?)new JsonArray(p.Numerator, p.Denominator)).ToArray()),
            ["hyp_len"] = result.HypLength,
            ["closest_ref_len"] = result.ClosestRefLength,
            ["brevity_penalty"] = result.BrevityPenalty,
            ["score"] = score,
        };
    }

    private static NltkSmoothing? ParseSmoothing(JsonObject parameters)
    {
        if (parameters["smoothing"] is null)
        {
            return null;
        }
        var name = CaseJson.AsString(parameters["smoothing"]!, "params.smoothing");
        if (!name.StartsWith("method", StringComparison.Ordinal) || !int.TryParse(name.AsSpan(6), out var method))
        {
            throw new MetricException($"nltk smoothing: expected 'method0'..'method7', found '{name}'.");
        }
        var smoothing = new NltkSmoothing(method);
        if (parameters["smoothing_kwargs"] is JsonObject kw)
        {
            smoothing = smoothing with
            {
                Epsilon = kw["epsilon"] is { } e ? Number(e) : smoothing.Epsilon,
                Alpha = kw["alpha"] is { } a ? Number(a) : smoothing.Alpha,
                K = kw["k"] is { } k ? Number(k) : smoothing.K,
            };
        }
        return smoothing;
    }

    // JSON integers stay Python ints (they change nltk's Fraction/float arithmetic); others are floats.
    private static PyNumber Number(JsonNode node)
    {
        var text = node.ToJsonString();
        return text.Contains('.') || text.Contains('e') || text.Contains('E')
            ? PyNumber.Float(node.GetValue<double>())
            : PyNumber.Int(long.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static IReadOnlyList<string> Tokens(JsonNode node) => CaseJson.AsStringList(node, "tokens");

    private static IReadOnlyList<IReadOnlyList<string>> TokenLists(JsonNode? node) =>
        CaseJson.AsStringLists(node ?? throw new MetricException("Expected a list of token lists, found null."), "references");
}
