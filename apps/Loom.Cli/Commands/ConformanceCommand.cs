using System.CommandLine;
using System.Globalization;
using Loom.Formats;
using Loom.Generation.Conformance;
using Loom.Models;
using Loom.Models.Conformance;
using Loom.Nn;

namespace Loom.Cli.Commands;

/// <summary>
/// <c>loom conformance DIR</c>: runs a Hugging Face fixture folder (shared/fixtures/hf schema) through the model chosen
/// from its config.json, prints the max absolute and relative error of every output at valid positions, then runs its
/// greedy and beam generate fixtures (identical token sequences and beam indices, scores within tolerance), and ends
/// with one line starting PASS or FAIL. Exit code 0 only when every check passes.
/// </summary>
internal static class ConformanceCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("dir") { Description = "A fixture folder: config.json, model.safetensors, inputs.json, expected_forward.json / expected_loss.json / expected_generate_{greedy,beam}.json" };
        var atol = new Option<double?>("--atol") { Description = "Absolute tolerance (default: 1e-4, 1e-3 for BART and T5)" };
        var rtol = new Option<double?>("--rtol") { Description = "Relative tolerance (default: 1e-4)" };
        var command = new Command("conformance", "Compare a model's outputs with a Hugging Face fixture folder");
        command.Arguments.Add(dir);
        command.Options.Add(atol);
        command.Options.Add(rtol);
        command.SetAction(parseResult =>
        {
            var folder = parseResult.GetValue(dir)!;
            try
            {
                var defaults = Tolerance.ForModelType(Models.Auto.AutoConfig.Load(folder).ModelType);
                var tolerance = new Tolerance(parseResult.GetValue(atol) ?? defaults.Absolute, parseResult.GetValue(rtol) ?? defaults.Relative);
                var forward = ConformanceRunner.Run(folder, tolerance);
                var report = forward with { Comparisons = [.. forward.Comparisons, .. GenerateConformance.Run(folder, tolerance)] };
                Console.WriteLine($"{report.Architecture} from {folder}");
                foreach (var c in report.Comparisons)
                {
                    var verdict = c.Skipped ? "SKIP" : c.Passed ? "ok" : "FAIL";
                    var shape = "[" + string.Join(", ", c.Shape) + "]";
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {c.Case + "/" + c.Output,-36} {shape,-20} compared {c.Compared,7}  max abs {c.MaxAbsoluteError,10:0.###e+00}  max rel {c.MaxRelativeError,10:0.###e+00}  {verdict}{(c.Note is null ? string.Empty : " (" + c.Note + ")")}"));
                }

                Console.WriteLine(report.Summary());
                return report.Passed ? 0 : 1;
            }
            catch (Exception e) when (e is ModelLoadException or StateDictException or ModelFormatException or IOException or InvalidDataException or System.Text.Json.JsonException or UnauthorizedAccessException or ArgumentException or KeyNotFoundException)
            {
                Console.Error.WriteLine($"loom conformance: {e.Message}");
                Console.WriteLine($"FAIL {folder}: {e.GetType().Name}: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
