using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Loom.Metrics;
using Loom.Metrics.Cases;

namespace Loom.Cli.Commands;

/// <summary>
/// <c>loom eval METRIC --hyp FILE --ref FILE [--ref FILE…] [options] [--json]</c> scores files of one item per line;
/// <c>loom eval --cases FILE.json</c> runs a metric-fixture file (<c>{"metric", "cases": [{"id", "params",
/// "inputs"}]}</c>) and prints one <c>{"id", "result"}</c> or <c>{"id", "error"}</c> JSON object per line.
/// </summary>
internal static class EvalCommand
{
    private static readonly string[] Metrics = ["bleu", "chrf", "ter", "rouge", "cider", "squad", "cmrc", "seqeval", "classification"];

    public static Command Create()
    {
        var metric = new Argument<string?>("metric")
        {
            Description = "Metric: " + string.Join(", ", Metrics),
            Arity = ArgumentArity.ZeroOrOne,
        };
        var hyp = new Option<FileInfo?>("--hyp") { Description = "Hypotheses / predictions, one per line" };
        var refs = new Option<FileInfo[]>("--ref") { Description = "References / gold answers, one per line (repeat for several references)" };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object" };
        var cases = new Option<FileInfo?>("--cases") { Description = "Run every case of a metric fixture JSON file" };
        var parameters = new Option<string[]>("--param")
        {
            Description = "Metric parameter KEY=VALUE with the fixture parameter names (e.g. tokenize=zh, smooth_method=floor, " +
                          "word_order=2, rouge_types=rouge1,rougeL, use_stemmer=true, tokenizer=cjk|default|cjk_char|whitespace, " +
                          "mode=strict, scheme=IOB2, suffix=true); VALUE is JSON when it parses as JSON, else a string",
        };
        var command = new Command("eval", "Evaluate hypotheses against references with a metric (or run a metric fixture file)");
        command.Arguments.Add(metric);
        foreach (var option in new Option[] { hyp, refs, json, cases, parameters })
        {
            command.Options.Add(option);
        }

        command.SetAction(parseResult =>
        {
            try
            {
                if (parseResult.GetValue(cases) is { } casesFile)
                {
                    return RunCases(casesFile);
                }

                var name = parseResult.GetValue(metric);
                if (name is null || !Metrics.Contains(name))
                {
                    return Fail($"expected a metric ({string.Join(", ", Metrics)}) or --cases FILE, found '{name ?? "nothing"}'", 2);
                }

                var hypFile = parseResult.GetValue(hyp);
                var refFiles = parseResult.GetValue(refs) ?? [];
                if (hypFile is null || refFiles.Length == 0)
                {
                    return Fail("expected --hyp FILE and at least one --ref FILE", 2);
                }

                var hypotheses = ReadLines(hypFile);
                var references = refFiles.Select(ReadLines).ToList();
                for (var k = 0; k < references.Count; k++)
                {
                    if (references[k].Count != hypotheses.Count)
                    {
                        return Fail($"{refFiles[k].Name} has {references[k].Count} lines but {hypFile.Name} has {hypotheses.Count}: expected one reference per hypothesis line", 2);
                    }
                }

                var outcome = EvalMetrics.Run(name, ParseParameters(parseResult.GetValue(parameters) ?? []), hypotheses, references);
                Console.WriteLine(parseResult.GetValue(json) ? CaseJson.ToLine(outcome.Result) : outcome.Text);
                return 0;
            }
            catch (MetricException e)
            {
                return Fail(e.Message, 1);
            }
            catch (IOException e)
            {
                return Fail(e.Message, 1);
            }
            catch (JsonException e)
            {
                return Fail("invalid JSON: " + e.Message, 1);
            }
        });
        return command;
    }

    private static int RunCases(FileInfo file)
    {
        var document = JsonNode.Parse(File.ReadAllText(file.FullName)) as JsonObject
                       ?? throw new MetricException($"{file.Name}: expected a JSON object {{\"metric\", \"cases\"}}.");
        foreach (var line in MetricCases.RunAll(document))
        {
            Console.WriteLine(CaseJson.ToLine(line));
        }

        return 0;
    }

    private static List<string> ReadLines(FileInfo file)
    {
        var lines = File.ReadAllText(file.FullName).Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }

    private static JsonObject ParseParameters(string[] pairs)
    {
        var result = new JsonObject();
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new MetricException($"--param '{pair}': expected KEY=VALUE.");
            }

            var value = pair[(eq + 1)..];
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(value);
            }
            catch (JsonException)
            {
                node = JsonValue.Create(value);
            }

            result[pair[..eq]] = node;
        }

        return result;
    }

    private static int Fail(string message, int code)
    {
        Console.Error.WriteLine("loom eval: " + message);
        return code;
    }
}
