using System.Text.Json.Nodes;
using Loom.Metrics.SequenceLabeling;

namespace Loom.Metrics.Cases;

/// <summary>
/// Fixture adapter for <c>seqeval</c>: accuracy, precision / recall / F1 (micro, macro, weighted), the report as a
/// dictionary and as text (4 digits), and in default mode the performance measure and entity lists. As in seqeval,
/// <c>mode="strict"</c> without a scheme scores in default mode but auto-detects a scheme for the report.
/// </summary>
public static class SeqevalCase
{
    /// <summary>Runs one case.</summary>
    public static JsonNode Run(JsonObject parameters, JsonObject inputs)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(inputs);
        var yTrue = CaseJson.AsStringLists(CaseJson.Required(inputs, "y_true"), "y_true");
        var yPred = CaseJson.AsStringLists(CaseJson.Required(inputs, "y_pred"), "y_pred");
        var strict = CaseJson.OptionalString(parameters, "mode") switch
        {
            null => false,
            "strict" => true,
            var other => throw new MetricException($"Unknown mode '{other}': expected null or \"strict\"."),
        };
        var schemeName = CaseJson.OptionalString(parameters, "scheme");
        TaggingScheme? scheme = schemeName is null ? null : ParseScheme(schemeName);
        var suffix = CaseJson.Bool(parameters, "suffix", false);
        var evaluator = new SequenceLabelingEvaluator(strict ? scheme : null, suffix);

        var result = new JsonObject { ["accuracy"] = SequenceLabelingEvaluator.Accuracy(yTrue, yPred) };
        foreach (var (average, name) in new[] { (ChunkAverage.Micro, "micro"), (ChunkAverage.Macro, "macro"), (ChunkAverage.Weighted, "weighted") })
        {
            var s = evaluator.Score(yTrue, yPred, average);
            result["precision_" + name] = CaseJson.Number(s.Precision);
            result["recall_" + name] = CaseJson.Number(s.Recall);
            result["f1_" + name] = CaseJson.Number(s.F1);
        }

        var rows = evaluator.Report(yTrue, yPred, autoDetectScheme: strict);
        var report = new JsonObject();
        foreach (var (rowName, s) in rows)
        {
            report[rowName] = new JsonObject
            {
                ["precision"] = CaseJson.Number(s.Precision),
                ["recall"] = CaseJson.Number(s.Recall),
                ["f1-score"] = CaseJson.Number(s.F1),
                ["support"] = s.Support,
            };
        }

        result["report_dict"] = report;
        result["report_text"] = SequenceLabelingEvaluator.FormatReport(rows, digits: 4);
        if (!strict)
        {
            var (tp, fp, fn, tn) = SequenceLabelingEvaluator.PerformanceMeasure(yTrue, yPred);
            result["performance_measure"] = new JsonObject { ["TP"] = tp, ["FP"] = fp, ["FN"] = fn, ["TN"] = tn };
            result["entities_true"] = Entities(ConllChunker.GetEntities(yTrue, suffix));
            result["entities_pred"] = Entities(ConllChunker.GetEntities(yPred, suffix));
        }

        return result;
    }

    private static TaggingScheme ParseScheme(string name) => name switch
    {
        "IOB1" => TaggingScheme.Iob1,
        "IOE1" => TaggingScheme.Ioe1,
        "IOB2" => TaggingScheme.Iob2,
        "IOE2" => TaggingScheme.Ioe2,
        "IOBES" => TaggingScheme.Iobes,
        "BILOU" => TaggingScheme.Bilou,
        _ => throw new MetricException($"Unknown scheme '{name}': expected IOB1, IOE1, IOB2, IOE2, IOBES or BILOU."),
    };

    private static JsonArray Entities(IEnumerable<LabeledEntity> entities) =>
        new([.. entities.Select(e => (JsonNode?)new JsonArray(e.Type, e.Start, e.End))]);
}
