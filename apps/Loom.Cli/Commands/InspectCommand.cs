using System.Buffers.Binary;
using System.CommandLine;
using System.Globalization;
using Loom.Formats;
using Loom.Formats.Gguf;
using Loom.Formats.Llama2c;
using Loom.Formats.Safetensors;
using Spectre.Console;

namespace Loom.Cli.Commands;

/// <summary>
/// <c>loom inspect PATH [--all]</c>: lists what a model file holds — safetensors (a file, an index or a checkpoint
/// folder), GGUF or llama2.c — its header/metadata, each tensor's name, type and shape, and element counts by type.
/// </summary>
internal static class InspectCommand
{
    private const int DefaultRows = 40;

    public static Command Create()
    {
        var path = new Argument<string>("path") { Description = "A .safetensors file, model.safetensors.index.json, a checkpoint folder, a .gguf file or a llama2.c .bin" };
        var all = new Option<bool>("--all") { Description = $"List every tensor and metadata item (default: the first {DefaultRows})" };
        var command = new Command("inspect", "Show the header, metadata and tensors of a safetensors, GGUF or llama2.c file");
        command.Arguments.Add(path);
        command.Options.Add(all);
        command.SetAction(parseResult =>
        {
            string target = parseResult.GetValue(path)!;
            int limit = parseResult.GetValue(all) ? int.MaxValue : DefaultRows;
            try
            {
                var rows = Directory.Exists(target) || target.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
                    ? InspectCheckpoint(target, limit)
                    : Sniff(target) switch
                    {
                        "gguf" => InspectGguf(target, limit),
                        "llama2.c" => InspectLlama2c(target),
                        _ => InspectCheckpoint(target, limit),
                    };
                PrintTensors(rows, limit);
                return 0;
            }
            catch (Exception e) when (e is ModelFormatException or IOException or KeyNotFoundException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"loom inspect: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static string Sniff(string path)
    {
        Span<byte> head = stackalloc byte[8];
        using (var stream = File.OpenRead(path))
        {
            head = head[..stream.Read(head)];
        }

        if (head.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(head) == GgufFile.Magic)
        {
            return "gguf";
        }

        bool safetensorsLike = head.Length == 8 && BinaryPrimitives.ReadUInt64LittleEndian(head) <= SafetensorsFile.MaxHeaderBytes;
        return path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase) || safetensorsLike ? "safetensors" : "llama2.c";
    }

    private static List<(string Name, string Type, string Shape, long Elements, long Bytes)> InspectCheckpoint(string path, int limit)
    {
        using var checkpoint = SafetensorsCheckpoint.Open(path);
        AnsiConsole.MarkupLine($"[bold]safetensors[/] checkpoint: {checkpoint.Files.Count} file(s), {checkpoint.Count} tensors");
        var metadata = checkpoint.Files[0].Metadata.Select(p => (p.Key, p.Value)).ToList();
        PrintMetadata(metadata, limit);
        return [.. checkpoint.Files.SelectMany(f => f.Entries).Select(e => (e.Name, e.DType.ToString(), $"[{string.Join(", ", e.Shape)}]", e.ElementCount, e.ByteLength))];
    }

    private static List<(string Name, string Type, string Shape, long Elements, long Bytes)> InspectGguf(string path, int limit)
    {
        using var file = GgufFile.Open(path);
        AnsiConsole.MarkupLine($"[bold]GGUF[/] v{file.Version}: {file.Metadata.Count} metadata items, {file.Tensors.Count} tensors, alignment {file.Alignment}");
        PrintMetadata([.. file.Metadata.Select(p => (p.Key, Describe(p.Value)))], limit);
        return [.. file.Tensors.Select(t => (t.Name, t.Type.ToString(), $"[{string.Join(", ", t.Shape)}]", t.ElementCount, t.ByteLength))];
    }

    private static List<(string Name, string Type, string Shape, long Elements, long Bytes)> InspectLlama2c(string path)
    {
        using var model = Llama2cCheckpoint.Open(path);
        var c = model.Config;
        AnsiConsole.MarkupLine($"[bold]llama2.c[/] {(c.Version == 0 ? "legacy" : $"v{c.Version}")} checkpoint");
        PrintMetadata(
            [
                ("dim", c.Dim.ToString(CultureInfo.InvariantCulture)), ("hidden_dim", c.HiddenDim.ToString(CultureInfo.InvariantCulture)),
                ("n_layers", c.LayerCount.ToString(CultureInfo.InvariantCulture)), ("n_heads", c.HeadCount.ToString(CultureInfo.InvariantCulture)),
                ("n_kv_heads", c.KvHeadCount.ToString(CultureInfo.InvariantCulture)), ("vocab_size", c.VocabSize.ToString(CultureInfo.InvariantCulture)),
                ("seq_len", c.SeqLen.ToString(CultureInfo.InvariantCulture)), ("shared_classifier", c.SharedClassifier ? "true" : "false"),
            ],
            int.MaxValue);
        return [.. model.Tensors.Select(t => (t.Name, "F32", $"[{string.Join(", ", t.Shape)}]", t.ElementCount, t.ElementCount * 4))];
    }

    private static string Describe(GgufValue value)
    {
        if (value.Type != GgufValueType.Array)
        {
            string text = value.ToString();
            return text.Length > 80 ? text[..77] + "..." : text;
        }

        return value.ElementType == GgufValueType.String
            ? $"[{value.ArrayLength} strings: {string.Join(", ", value.AsStrings().Take(4))}{(value.ArrayLength > 4 ? ", ..." : string.Empty)}]"
            : value.ToString();
    }

    private static void PrintMetadata(List<(string Key, string Value)> items, int limit)
    {
        if (items.Count == 0)
        {
            return;
        }

        var table = new Table().AddColumn("key").AddColumn("value");
        foreach (var (key, value) in items.Take(limit))
        {
            table.AddRow(Markup.Escape(key), Markup.Escape(value));
        }

        AnsiConsole.Write(table);
        if (items.Count > limit)
        {
            AnsiConsole.WriteLine($"... {items.Count - limit} more metadata items (--all)");
        }
    }

    private static void PrintTensors(List<(string Name, string Type, string Shape, long Elements, long Bytes)> rows, int limit)
    {
        if (rows.Count > 0)
        {
            var table = new Table().AddColumn("tensor").AddColumn("type").AddColumn("shape").AddColumn(new TableColumn("bytes").RightAligned());
            foreach (var row in rows.Take(limit))
            {
                table.AddRow(Markup.Escape(row.Name), Markup.Escape(row.Type), Markup.Escape(row.Shape), row.Bytes.ToString("N0", CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            if (rows.Count > limit)
            {
                AnsiConsole.WriteLine($"... {rows.Count - limit} more tensors (--all)");
            }
        }

        foreach (var group in rows.GroupBy(r => r.Type).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            AnsiConsole.WriteLine($"{group.Key}: {group.Count()} tensors, {group.Sum(r => r.Elements).ToString("N0", CultureInfo.InvariantCulture)} elements, {group.Sum(r => r.Bytes).ToString("N0", CultureInfo.InvariantCulture)} bytes");
        }
    }
}
