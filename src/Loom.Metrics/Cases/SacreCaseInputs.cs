using System.Text.Json.Nodes;
using Loom.Metrics.Bleu;

namespace Loom.Metrics.Cases;

/// <summary>Reads the inputs shared by the sacrebleu fixture cases (BLEU, chrF, TER): <c>level: "sentence"</c> with
/// <c>hypothesis</c> and that sentence's <c>references</c>, or <c>level: "corpus"</c> with <c>hypotheses</c> and
/// reference STREAMS (<c>references[k][i]</c>, null = segment i has no k-th reference).</summary>
internal sealed record SacreCaseInputs(bool IsSentence, List<string> Hypotheses, IReadOnlyList<IReadOnlyList<string?>> Streams)
{
    public static SacreCaseInputs Read(JsonObject parameters, JsonObject inputs)
    {
        var level = CaseJson.AsString(CaseJson.Required(parameters, "level"), "params.level");
        if (level == "sentence")
        {
            var references = CaseJson.AsStringList(CaseJson.Required(inputs, "references"), "references");
            return new SacreCaseInputs(true, [CaseJson.AsString(CaseJson.Required(inputs, "hypothesis"), "hypothesis")],
                ReferenceStreams.ForSentence(references));
        }
        if (level != "corpus")
        {
            throw new MetricException($"'params.level': expected \"sentence\" or \"corpus\", found \"{level}\".");
        }
        var streams = CaseJson.AsArray(CaseJson.Required(inputs, "references"), "references")
            .Select((s, k) => (IReadOnlyList<string?>)CaseJson.AsArray(s ?? throw new MetricException($"'references[{k}]': expected a stream, found null."), $"references[{k}]")
                .Select((line, i) => line is null ? null : CaseJson.AsString(line, $"references[{k}][{i}]")).ToList())
            .ToList();
        return new SacreCaseInputs(false, CaseJson.AsStringList(CaseJson.Required(inputs, "hypotheses"), "hypotheses"), streams);
    }

    /// <summary>An integer parameter (absent or null: <paramref name="fallback"/>).</summary>
    public static int Int(JsonObject parameters, string key, int fallback) =>
        CaseJson.OptionalDouble(parameters, key) is { } value ? (int)value : fallback;
}
