using System.Text.Json.Nodes;
using Loom.Metrics.Captioning;
using Loom.Metrics.Cider;

namespace Loom.Metrics.Cases;

/// <summary>Runs one <c>coco_caption</c> fixture case (pycocoevalcap 1.2 <c>Cider</c> = CIDEr-D, <c>Bleu(4)</c>,
/// <c>Rouge</c>) on <c>inputs.gts</c> / <c>inputs.res</c>.</summary>
public static class CocoCaptionCase
{
    /// <summary>Computes the case's result object (keys as in the fixture's <c>expected</c>).</summary>
    public static JsonNode Run(JsonObject parameters, JsonObject inputs)
    {
        var examples = ReadExamples(inputs);
        var ids = CaseJson.Strings(examples.Select(e => e.ImageId));
        switch (CaseJson.AsString(CaseJson.Required(parameters, "scorer"), "params.scorer"))
        {
            case "CIDEr-D":
                var cider = CiderScorer.Compute(examples, CiderVariant.CiderD);
                return new JsonObject { ["score"] = cider.Score, ["scores"] = CaseJson.Numbers(cider.Scores), ["image_ids"] = ids };
            case "Bleu":
                var bleu = CocoBleu.Compute(examples);
                return new JsonObject
                {
                    ["score"] = CaseJson.Numbers(bleu.Score),
                    ["scores"] = new JsonArray(bleu.Scores.Select(s => (JsonNode?)CaseJson.Numbers(s)).ToArray()),
                    ["image_ids"] = ids,
                    ["stdout"] = bleu.VerboseOutput,
                };
            case "Rouge":
                var rouge = CocoRougeL.Compute(examples);
                return new JsonObject { ["score"] = rouge.Score, ["scores"] = CaseJson.Numbers(rouge.Scores), ["image_ids"] = ids };
            case var other:
                throw new MetricException($"coco_caption: expected scorer CIDEr-D, Bleu or Rouge, found '{other}'.");
        }
    }

    /// <summary>Reads <c>gts</c> ({id: [refs]}) and <c>res</c> ({id: [hyp]}) in <c>gts</c> key order, checking the
    /// pycocoevalcap assertions (same ids, exactly one hypothesis, at least one reference).</summary>
    internal static List<CaptionExample> ReadExamples(JsonObject inputs)
    {
        var gts = inputs["gts"] as JsonObject ?? throw new MetricException("coco_caption: expected 'gts' to be an object {id: [references]}.");
        var res = inputs["res"] as JsonObject ?? throw new MetricException("coco_caption: expected 'res' to be an object {id: [hypothesis]}.");
        var gtsIds = gts.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        if (!gtsIds.SetEquals(res.Select(p => p.Key)))
        {
            throw new MetricException(
                $"coco_caption: expected the same image ids in gts and res, found gts [{string.Join(", ", gtsIds)}] and res [{string.Join(", ", res.Select(p => p.Key))}].");
        }
        var examples = new List<CaptionExample>();
        foreach (var (id, refsNode) in gts)
        {
            var hyps = CaseJson.AsStringList(res[id] ?? throw new MetricException($"res[{id}]: expected a list, found null."), $"res[{id}]");
            if (hyps.Count != 1)
            {
                throw new MetricException($"coco_caption: image '{id}' must have exactly one hypothesis, found {hyps.Count}.");
            }
            examples.Add(new CaptionExample(id, CaseJson.AsStringList(refsNode ?? throw new MetricException($"gts[{id}]: expected a list, found null."), $"gts[{id}]"), hyps[0]));
        }
        return examples;
    }
}
