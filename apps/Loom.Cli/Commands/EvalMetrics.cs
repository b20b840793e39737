using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Loom.Metrics;
using Loom.Metrics.Cases;
using Loom.Metrics.Classification;
using Loom.Metrics.Qa;
using Loom.Metrics.Rouge;
using Loom.Metrics.SequenceLabeling;

namespace Loom.Cli.Commands;

/// <summary>
/// The computations behind <c>loom eval METRIC</c>: BLEU, chrF and TER (sacrebleu semantics, reference streams = the
/// <c>--ref</c> files), CIDEr-D (pycocoevalcap, one image per line) go through <see cref="MetricCases"/>; ROUGE (mean
/// over lines of per-line scores, best reference per line), SQuAD / CMRC (data-set EM and F1, each <c>--ref</c> file
/// one more gold answer), seqeval (space-separated tags, one sentence per line) and classification call the library.
/// </summary>
internal static class EvalMetrics
{
    /// <summary>A result as JSON and as text for the terminal.</summary>
    public readonly record struct Outcome(JsonNode Result, string Text);

    public static Outcome Run(string metric, JsonObject parameters, List<string> hypotheses, List<List<string>> references) =>
        metric switch
        {
            "bleu" => Sacre("sacrebleu_bleu", parameters, hypotheses, references),
            "chrf" => Sacre("sacrebleu_chrf", parameters, hypotheses, references),
            "ter" => Sacre("sacrebleu_ter", parameters, hypotheses, references),
            "cider" => Cider(parameters, hypotheses, references),
            "rouge" => Rouge(parameters, hypotheses, references),
            "squad" => Squad(hypotheses, references),
            "cmrc" => Cmrc(hypotheses, references),
            "seqeval" => Seqeval(parameters, hypotheses, references),
            _ => Classification(hypotheses, references),
        };

    private static Outcome Sacre(string name, JsonObject parameters, List<string> hypotheses, List<List<string>> references)
    {
        parameters["level"] = "corpus";
        var inputs = new JsonObject
        {
            ["hypotheses"] = CaseJson.Strings(hypotheses),
            ["references"] = CaseJson.StringLists(references),
        };
        var result = MetricCases.Run(name, parameters, inputs);
        var text = result["formatted"]?.GetValue<string>() ?? F(result["score"]!.GetValue<double>());
        return new Outcome(result, text);
    }

    private static Outcome Cider(JsonObject parameters, List<string> hypotheses, List<List<string>> references)
    {
        parameters["scorer"] ??= "CIDEr-D";
        var gts = new JsonObject();
        var res = new JsonObject();
        for (var i = 0; i < hypotheses.Count; i++)
        {
            var key = i.ToString(CultureInfo.InvariantCulture);
            gts[key] = CaseJson.Strings(references.Select(r => r[i]));
            res[key] = CaseJson.Strings([hypotheses[i]]);
        }

        var result = MetricCases.Run("coco_caption", parameters, new JsonObject { ["gts"] = gts, ["res"] = res });
        return new Outcome(result, $"{parameters["scorer"]} = {result["score"]?.ToJsonString()}");
    }

    private static Outcome Rouge(JsonObject parameters, List<string> hypotheses, List<List<string>> references)
    {
        var types = parameters["rouge_types"] is JsonValue v && v.TryGetValue<string>(out var list)
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : parameters["rouge_types"] is JsonArray array ? array.Select(n => n!.GetValue<string>()).ToArray()
            : ["rouge1", "rouge2", "rougeL", "rougeLsum"];
        var useStemmer = parameters["use_stemmer"]?.GetValue<bool>() ?? false;
        IRougeTokenizer tokenizer = (parameters["tokenizer"]?.GetValue<string>() ?? "cjk") switch
        {
            "cjk" => new CjkAwareRougeTokenizer(useStemmer),
            "default" or "rouge-score" => new RougeScoreTokenizer(useStemmer),
            "cjk_char" => new CjkCharRougeTokenizer(),
            "whitespace" => new WhitespaceRougeTokenizer(),
            var other => throw new MetricException($"Unknown ROUGE tokenizer '{other}': expected cjk (default), default, cjk_char or whitespace."),
        };
        var scorer = new RougeScorer(types, useStemmer, tokenizer);
        var sums = types.ToDictionary(t => t, _ => (P: 0.0, R: 0.0, F: 0.0));
        for (var i = 0; i < hypotheses.Count; i++)
        {
            var targets = references.Select(r => r[i].Replace("\\n", "\n", StringComparison.Ordinal)).ToList();
            var scores = scorer.ScoreMulti(targets, hypotheses[i].Replace("\\n", "\n", StringComparison.Ordinal));
            foreach (var type in types)
            {
                var s = scores[type];
                var (p, r, f) = sums[type];
                sums[type] = (p + s.Precision, r + s.Recall, f + s.FMeasure);
            }
        }

        var n = Math.Max(hypotheses.Count, 1);
        var result = new JsonObject();
        var text = new StringBuilder("type        precision  recall     fmeasure\n");
        foreach (var type in types)
        {
            var (p, r, f) = sums[type];
            result[type] = new JsonObject { ["precision"] = p / n, ["recall"] = r / n, ["fmeasure"] = f / n };
            text.Append(CultureInfo.InvariantCulture, $"{type,-11} {F(p / n),-10} {F(r / n),-10} {F(f / n)}\n");
        }

        return new Outcome(result, text.ToString().TrimEnd('\n'));
    }

    private static List<QaQuestion> Questions(List<List<string>> references, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new QaQuestion(i.ToString(CultureInfo.InvariantCulture), references.Select(r => r[i]).ToList()))];

    private static Dictionary<string, string> Predictions(List<string> hypotheses) =>
        hypotheses.Select((h, i) => (h, i)).ToDictionary(p => p.i.ToString(CultureInfo.InvariantCulture), p => p.h);

    private static Outcome Squad(List<string> hypotheses, List<List<string>> references)
    {
        var (em, f1) = SquadEvaluator.Score(Questions(references, hypotheses.Count), Predictions(hypotheses));
        return new Outcome(new JsonObject { ["exact_match"] = em, ["f1"] = f1 }, $"exact_match = {F(em)}\nf1 = {F(f1)}");
    }

    private static Outcome Cmrc(List<string> hypotheses, List<List<string>> references)
    {
        var r = Cmrc2018Evaluator.Evaluate(Questions(references, hypotheses.Count), Predictions(hypotheses));
        var result = new JsonObject
        {
            ["AVERAGE"] = Cmrc2018Result.Format(r.Average),
            ["F1"] = Cmrc2018Result.Format(r.F1),
            ["EM"] = Cmrc2018Result.Format(r.ExactMatch),
            ["TOTAL"] = r.Total,
            ["SKIP"] = r.Skipped,
        };
        return new Outcome(result, $"F1 = {Cmrc2018Result.Format(r.F1)}\nEM = {Cmrc2018Result.Format(r.ExactMatch)}\nAVERAGE = {Cmrc2018Result.Format(r.Average)}");
    }

    private static Outcome Seqeval(JsonObject parameters, List<string> hypotheses, List<List<string>> references)
    {
        if (references.Count != 1)
        {
            throw new MetricException($"seqeval takes exactly one --ref file of gold tags, found {references.Count}.");
        }

        var yTrue = references[0].Select(l => (IReadOnlyList<string>)l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        var yPred = hypotheses.Select(l => (IReadOnlyList<string>)l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        var result = SeqevalCase.Run(parameters, new JsonObject
        {
            ["y_true"] = CaseJson.StringLists(yTrue),
            ["y_pred"] = CaseJson.StringLists(yPred),
        });
        return new Outcome(result, $"accuracy = {F(result["accuracy"]!.GetValue<double>())}\n\n{result["report_text"]!.GetValue<string>().TrimEnd('\n')}");
    }

    private static Outcome Classification(List<string> hypotheses, List<List<string>> references)
    {
        if (references.Count != 1)
        {
            throw new MetricException($"classification takes exactly one --ref file of gold labels, found {references.Count}.");
        }

        var r = ClassificationMetrics.Evaluate(references[0].Select(l => l.Trim()).ToList(), hypotheses.Select(l => l.Trim()).ToList());
        var result = new JsonObject { ["accuracy"] = r.Accuracy };
        var text = new StringBuilder($"accuracy = {F(r.Accuracy)}\n\nlabel            precision  recall     f1         support\n");
        void Row(string name, ClassScores s)
        {
            result[name] = new JsonObject { ["precision"] = s.Precision, ["recall"] = s.Recall, ["f1"] = s.F1, ["support"] = s.Support };
            text.Append(CultureInfo.InvariantCulture, $"{name,-16} {F(s.Precision),-10} {F(s.Recall),-10} {F(s.F1),-10} {s.Support}\n");
        }

        for (var c = 0; c < r.Labels.Count; c++)
        {
            Row(r.Labels[c], r.PerClass[c]);
        }

        Row("micro avg", r.Micro);
        Row("macro avg", r.Macro);
        Row("weighted avg", r.Weighted);
        var matrix = new JsonArray();
        for (var i = 0; i < r.Labels.Count; i++)
        {
            matrix.Add(new JsonArray([.. Enumerable.Range(0, r.Labels.Count).Select(j => (JsonNode?)r.ConfusionMatrix[i, j])]));
        }

        result["labels"] = CaseJson.Strings(r.Labels);
        result["confusion_matrix"] = matrix;
        return new Outcome(result, text.ToString().TrimEnd('\n'));
    }

    private static string F(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
}
