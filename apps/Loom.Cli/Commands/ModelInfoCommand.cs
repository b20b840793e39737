using System.CommandLine;
using System.Globalization;
using Loom.Formats;
using Loom.Formats.Gguf;
using Loom.Formats.Llama2c;
using Loom.Formats.Safetensors;
using Loom.Models;
using Loom.Models.Auto;
using Loom.Models.Decoding;
using Loom.Models.Llama;
using Loom.Nn;

namespace Loom.Cli.Commands;

/// <summary>
/// <c>loom model info PATH</c>: the architecture of a Hugging Face folder, llama.cpp GGUF file or llama2.c checkpoint, its
/// parameter count by stored dtype (F32, F16, BF16, Q8_0, Q4_0 …), and which weights are tied (shared with another
/// parameter and absent from the file).
/// </summary>
internal static class ModelInfoCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("path") { Description = "A Hugging Face model folder (config.json + safetensors), a llama.cpp .gguf file or a llama2.c .bin checkpoint" };
        var info = new Command("info", "Show a model's architecture, parameter count by dtype and tied weights");
        info.Arguments.Add(path);
        info.SetAction(parseResult =>
        {
            var target = parseResult.GetValue(path)!;
            try
            {
                if (Directory.Exists(target))
                {
                    DescribeFolder(target);
                }
                else if (AutoModel.IsGgufFile(target))
                {
                    DescribeGguf(target);
                }
                else
                {
                    DescribeLlama2c(target);
                }

                return 0;
            }
            catch (Exception e) when (e is ModelLoadException or StateDictException or ModelFormatException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"loom model info: {e.Message}");
                return 1;
            }
        });
        var command = new Command("model", "Inspect models");
        command.Subcommands.Add(info);
        return command;
    }

    private static void DescribeFolder(string dir)
    {
        var config = AutoConfig.Load(dir);
        string architecture;
        try
        {
            architecture = AutoModel.ResolveArchitecture(dir);
        }
        catch (ModelLoadException)
        {
            architecture = string.Join(", ", config.Architectures ?? []) + " (not supported by Loom)";
        }

        Console.WriteLine($"architecture: {architecture}");
        Console.WriteLine($"model_type:   {config.ModelType}");
        using (var checkpoint = SafetensorsCheckpoint.Open(dir))
        {
            var entries = checkpoint.Names.Select(n => checkpoint.Find(n).Entry).ToList();
            Console.WriteLine($"tensors:      {entries.Count} in {checkpoint.Files.Count} file(s)");
            Console.WriteLine("parameters by dtype:");
            foreach (var group in entries.GroupBy(e => e.DType).OrderBy(g => g.Key.ToString(), StringComparer.Ordinal))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {group.Key,-5} {group.Sum(e => e.ElementCount),14:N0} in {group.Count()} tensors"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  total {entries.Sum(e => e.ElementCount),14:N0}"));
        }

        IReadOnlyDictionary<string, string>? tied = null;
        try
        {
            tied = AutoModel.LoadCausalLm(dir).TiedWeights;
        }
        catch (ModelLoadException)
        {
            // Not a decoder-only family: only config.json's flag is known.
        }

        PrintTied(tied, config.TieWordEmbeddings);
    }

    private static void DescribeGguf(string path)
    {
        using var file = GgufFile.Open(path);
        var architecture = file.TryGetValue("general.architecture", out var arch) && arch.Type == GgufValueType.String ? arch.AsString() : "(none)";
        Console.WriteLine($"architecture: {architecture} (GGUF v{file.Version}, {file.Tensors.Count} tensors)");
        LlamaForCausalLm? model = null;
        if (architecture == "llama")
        {
            var config = GgufLlamaLoader.ToConfig(file);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"shape:        dim {config.HiddenSize}, hidden {config.IntermediateSize}, layers {config.Layers}, heads {config.Heads}/{config.KvHeads} kv, vocab {config.VocabSize}"));
            model = GgufLlamaLoader.Load(file);
        }

        Console.WriteLine("parameters by dtype:");
        foreach (var group in file.Tensors.GroupBy(t => t.Type).OrderBy(g => g.Key.ToString(), StringComparer.Ordinal))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {group.Key,-5} {group.Sum(t => t.ElementCount),14:N0} in {group.Count()} tensors, {group.Sum(t => t.ByteLength),14:N0} bytes"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  total {file.Tensors.Sum(t => t.ElementCount),14:N0}"));
        if (model is null)
        {
            Console.WriteLine("tied weights: unknown (Loom reads the 'llama' architecture of GGUF)");
            return;
        }

        var quantized = model.QuantizedParameters.Sum(p => (long)p.Value.Data.Length);
        var dense = model.Parameters.Sum(p => 4L * p.Value.Count);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"in memory:    {quantized + dense,14:N0} bytes ({model.QuantizedParameters.Count} matrices kept quantised, {quantized:N0} bytes; {model.Parameters.Count} float32 tensors, {dense:N0} bytes)"));
        PrintTied(model.TiedWeights, model.Config.TieWordEmbeddings);
    }

    private static void DescribeLlama2c(string path)
    {
        using var checkpoint = Llama2cCheckpoint.Open(path);
        var header = checkpoint.Config;
        var model = Llama2cLoader.Load(checkpoint);
        Console.WriteLine($"architecture: {model.Architecture} (llama2.c {(header.Version == 0 ? "legacy" : $"v{header.Version}")} checkpoint)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"shape:        dim {header.Dim}, hidden {header.HiddenDim}, layers {header.LayerCount}, heads {header.HeadCount}/{header.KvHeadCount} kv, vocab {header.VocabSize}, seq_len {header.SeqLen}"));
        Console.WriteLine("parameters by dtype:");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  F32   {model.Parameters.Sum(p => (long)p.Value.Count),14:N0} in {model.Parameters.Count} tensors"));
        PrintTied(model.TiedWeights, header.SharedClassifier);
    }

    private static void PrintTied(IReadOnlyDictionary<string, string>? tied, bool configFlag)
    {
        if (tied is null)
        {
            Console.WriteLine($"tied weights: tie_word_embeddings = {configFlag.ToString().ToLowerInvariant()} (from config.json)");
            return;
        }

        Console.WriteLine(tied.Count == 0 ? "tied weights: none" : "tied weights:");
        foreach (var (alias, source) in tied)
        {
            Console.WriteLine($"  {alias} -> {source}");
        }
    }
}
