// Checkpoint folders in the Hugging Face Trainer layout ("checkpoint-<step>" under the output folder) holding
// model.safetensors (the weights by parameter name), optimizer.safetensors (one F32 tensor "<kind>:<parameter>" per
// state buffer) and trainer_state.json (step, counters, generator states, data position, best metric). A folder is
// written under a temporary name and renamed into place, so a process killed mid-save never leaves a partial
// "checkpoint-<step>": the latest folder is always complete. A run with loss scaling also stores the scaler's state.
using System.Globalization;
using System.Text;
using System.Text.Json;
using Loom.Core;
using Loom.Formats.Safetensors;
using Loom.Nn;
using Loom.Training.Data;

namespace Loom.Training;

/// <summary>Writes, reads, lists and prunes trainer checkpoint folders.</summary>
public static class TrainerCheckpoint
{
    /// <summary>The folder-name prefix of a checkpoint.</summary>
    public const string Prefix = "checkpoint-";

    private const string ModelFile = "model.safetensors";
    private const string OptimizerFile = "optimizer.safetensors";
    private const string StateFile = "trainer_state.json";
    private const string Format = "loom-trainer-checkpoint/1";

    /// <summary>The folder of the checkpoint at <paramref name="step"/> under <paramref name="outputDirectory"/>.</summary>
    public static string FolderOf(string outputDirectory, int step) =>
        Path.Combine(outputDirectory, Prefix + step.ToString(CultureInfo.InvariantCulture));

    /// <summary>Writes a checkpoint folder atomically and returns its path.</summary>
    public static string Save(string outputDirectory, IReadOnlyList<KeyValuePair<string, Tensor>> parameters, TrainerState state)
    {
        ArgumentNullException.ThrowIfNull(outputDirectory);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(state);
        Directory.CreateDirectory(outputDirectory);
        var target = FolderOf(outputDirectory, state.Step);
        var temporary = Path.Combine(outputDirectory, $".tmp-{Prefix}{state.Step}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temporary);
        StateDict.Save(parameters, Path.Combine(temporary, ModelFile));
        var optimizer = new SafetensorsWriter();
        foreach (var (kind, buffers) in state.Optimizer.Buffers.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            foreach (var (name, buffer) in buffers.OrderBy(b => b.Key, StringComparer.Ordinal))
            {
                optimizer.AddFloat32($"{kind}:{name}", [buffer.Length], buffer);
            }
        }

        optimizer.Save(Path.Combine(temporary, OptimizerFile));
        File.WriteAllText(Path.Combine(temporary, StateFile), StateJson(state), new UTF8Encoding(false));
        if (Directory.Exists(target))
        {
            // Re-saving a step (a run resumed from an older checkpoint): move the old folder aside first.
            var stale = Path.Combine(outputDirectory, $".tmp-stale-{Guid.NewGuid():N}");
            Directory.Move(target, stale);
            Directory.Move(temporary, target);
            Directory.Delete(stale, recursive: true);
        }
        else
        {
            Directory.Move(temporary, target);
        }

        return target;
    }

    /// <summary>
    /// Reads the checkpoint in <paramref name="folder"/>: copies the weights into <paramref name="parameters"/> (strict
    /// names and shapes) and returns the rest. Throws <see cref="FormatException"/> naming the file for a folder that is
    /// not a trainer checkpoint.
    /// </summary>
    public static TrainerState Load(string folder, IReadOnlyList<KeyValuePair<string, Tensor>> parameters)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(parameters);
        var statePath = Path.Combine(folder, StateFile);
        if (!File.Exists(statePath))
        {
            throw new FileNotFoundException($"Not a trainer checkpoint: '{folder}' has no {StateFile}.", statePath);
        }

        using var document = ParseState(statePath);
        var root = document.RootElement;
        using (var model = SafetensorsCheckpoint.Open(Path.Combine(folder, ModelFile)))
        {
            StateDict.Load(parameters, model);
        }

        var buffers = new Dictionary<string, Dictionary<string, float[]>>(StringComparer.Ordinal);
        using (var optimizer = SafetensorsCheckpoint.Open(Path.Combine(folder, OptimizerFile)))
        {
            foreach (var key in optimizer.Names)
            {
                var colon = key.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0)
                {
                    throw new FormatException($"{OptimizerFile} in '{folder}': tensor '{key}' is not named '<kind>:<parameter>'.");
                }

                var kind = key[..colon];
                if (!buffers.TryGetValue(kind, out var byName))
                {
                    buffers[kind] = byName = new Dictionary<string, float[]>(StringComparer.Ordinal);
                }

                byName[key[(colon + 1)..]] = optimizer.ReadFloat32(key);
            }
        }

        try
        {
            var counters = root.GetProperty("optimizer_counters").EnumerateObject().ToDictionary(
                kind => kind.Name,
                kind => (IReadOnlyDictionary<string, int>)kind.Value.EnumerateObject().ToDictionary(e => e.Name, e => e.Value.GetInt32(), StringComparer.Ordinal),
                StringComparer.Ordinal);
            var optimizerState = new OptimizerState(root.GetProperty("optimizer_step_count").GetInt32(),
                buffers.ToDictionary(b => b.Key, b => (IReadOnlyDictionary<string, float[]>)b.Value, StringComparer.Ordinal), counters);
            var data = root.GetProperty("data");
            var sampler = data.TryGetProperty("sampler", out var s) && s.ValueKind == JsonValueKind.Object
                ? new SamplerState(s.GetProperty("seed").GetUInt64(), s.GetProperty("count").GetInt32(), s.GetProperty("epoch").GetInt32(), s.GetProperty("position").GetInt32())
                : null;
            var dataGenerator = data.TryGetProperty("generator", out var g) && g.ValueKind == JsonValueKind.Object ? ReadGenerator(g) : null;
            return new TrainerState(
                root.GetProperty("step").GetInt32(),
                optimizerState,
                ReadGenerator(root.GetProperty("model_generator")),
                new BatchSourceState(sampler, dataGenerator),
                root.GetProperty("best_metric").ValueKind == JsonValueKind.Number ? root.GetProperty("best_metric").GetDouble() : null,
                root.GetProperty("best_step").ValueKind == JsonValueKind.Number ? root.GetProperty("best_step").GetInt32() : null,
                root.GetProperty("evaluations_without_improvement").GetInt32(),
                root.GetProperty("tokens_seen").GetInt64(),
                root.TryGetProperty("loss_scaler", out var scaler) && scaler.ValueKind == JsonValueKind.Object ? ReadScaler(scaler) : null);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new FormatException($"{statePath}: {e.Message}", e);
        }
    }

    /// <summary>The steps of the complete checkpoints under <paramref name="outputDirectory"/>, ascending.</summary>
    public static IReadOnlyList<int> Steps(string outputDirectory)
    {
        ArgumentNullException.ThrowIfNull(outputDirectory);
        if (!Directory.Exists(outputDirectory))
        {
            return [];
        }

        return [.. Directory.EnumerateDirectories(outputDirectory, Prefix + "*")
            .Select(d => int.TryParse(Path.GetFileName(d)[Prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var step) ? step : -1)
            .Where(step => step >= 0)
            .Order()];
    }

    /// <summary>The folder of the latest checkpoint under <paramref name="outputDirectory"/>, or null when there is none.</summary>
    public static string? Latest(string outputDirectory)
    {
        var steps = Steps(outputDirectory);
        return steps.Count == 0 ? null : FolderOf(outputDirectory, steps[^1]);
    }

    /// <summary>
    /// Deletes every checkpoint except the <paramref name="keepLast"/> most recent and the one at
    /// <paramref name="bestStep"/>, and any temporary folder a killed save left behind (0 keeps every checkpoint).
    /// </summary>
    public static void Prune(string outputDirectory, int keepLast, int? bestStep)
    {
        ArgumentNullException.ThrowIfNull(outputDirectory);
        ArgumentOutOfRangeException.ThrowIfNegative(keepLast);
        if (!Directory.Exists(outputDirectory))
        {
            return;
        }

        foreach (var leftover in Directory.EnumerateDirectories(outputDirectory, ".tmp-*"))
        {
            Directory.Delete(leftover, recursive: true);
        }

        if (keepLast == 0)
        {
            return;
        }

        var steps = Steps(outputDirectory);
        foreach (var step in steps.Take(Math.Max(0, steps.Count - keepLast)).Where(s => s != bestStep))
        {
            Directory.Delete(FolderOf(outputDirectory, step), recursive: true);
        }
    }

    private static JsonDocument ParseState(string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: not valid JSON ({e.Message}).", e);
        }

        if (!document.RootElement.TryGetProperty("format", out var format) || format.GetString() != Format)
        {
            document.Dispose();
            throw new FormatException($"{path}: expected \"format\": \"{Format}\".");
        }

        return document;
    }

    private static string StateJson(TrainerState state)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteNumber("step", state.Step);
            json.WriteNumber("optimizer_step_count", state.Optimizer.StepCount);
            json.WriteStartObject("optimizer_counters");
            foreach (var (kind, counters) in state.Optimizer.Counters.OrderBy(k => k.Key, StringComparer.Ordinal))
            {
                json.WriteStartObject(kind);
                foreach (var (name, value) in counters.OrderBy(c => c.Key, StringComparer.Ordinal))
                {
                    json.WriteNumber(name, value);
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WritePropertyName("model_generator");
            WriteGenerator(json, state.ModelGenerator);
            json.WriteStartObject("data");
            if (state.Data.Sampler is { } sampler)
            {
                json.WriteStartObject("sampler");
                json.WriteNumber("seed", sampler.Seed);
                json.WriteNumber("count", sampler.Count);
                json.WriteNumber("epoch", sampler.Epoch);
                json.WriteNumber("position", sampler.Position);
                json.WriteEndObject();
            }

            if (state.Data.Generator is { } generator)
            {
                json.WritePropertyName("generator");
                WriteGenerator(json, generator);
            }

            json.WriteEndObject();
            WriteNullable(json, "best_metric", state.BestMetric);
            WriteNullable(json, "best_step", state.BestStep);
            json.WriteNumber("evaluations_without_improvement", state.EvaluationsWithoutImprovement);
            json.WriteNumber("tokens_seen", state.TokensSeen);
            if (state.LossScaler is { } scaler)
            {
                // The scale as its bit pattern too, so that a resumed run scales by exactly the same float.
                json.WriteStartObject("loss_scaler");
                json.WriteNumber("scale", scaler.Scale);
                json.WriteNumber("scale_bits", BitConverter.SingleToUInt32Bits(scaler.Scale));
                json.WriteNumber("good_steps", scaler.GoodSteps);
                json.WriteNumber("skipped_steps", scaler.SkippedSteps);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteGenerator(Utf8JsonWriter json, GeneratorState state)
    {
        // ulongs are written as strings: JSON readers outside .NET often parse numbers as doubles (53-bit mantissa).
        json.WriteStartObject();
        json.WriteString("s0", state.S0.ToString(CultureInfo.InvariantCulture));
        json.WriteString("s1", state.S1.ToString(CultureInfo.InvariantCulture));
        json.WriteString("s2", state.S2.ToString(CultureInfo.InvariantCulture));
        json.WriteString("s3", state.S3.ToString(CultureInfo.InvariantCulture));
        json.WriteString("spare_normal_bits", BitConverter.DoubleToInt64Bits(state.SpareNormal).ToString(CultureInfo.InvariantCulture));
        json.WriteBoolean("has_spare_normal", state.HasSpareNormal);
        json.WriteEndObject();
    }

    private static LossScalerState ReadScaler(JsonElement element) => new(
        BitConverter.UInt32BitsToSingle(element.GetProperty("scale_bits").GetUInt32()),
        element.GetProperty("good_steps").GetInt32(),
        element.GetProperty("skipped_steps").GetInt32());

    private static GeneratorState ReadGenerator(JsonElement element)
    {
        ulong Word(string name) => ulong.Parse(element.GetProperty(name).GetString() ?? string.Empty, NumberStyles.None, CultureInfo.InvariantCulture);
        var spare = BitConverter.Int64BitsToDouble(long.Parse(element.GetProperty("spare_normal_bits").GetString() ?? string.Empty, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
        return new GeneratorState(Word("s0"), Word("s1"), Word("s2"), Word("s3"), spare, element.GetProperty("has_spare_normal").GetBoolean());
    }
}
