using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Loom.Tokenizers;

namespace Loom.Cli.Commands;

/// <summary>
/// <c>loom tokenize</c>: encodes a JSON array of strings (or of [a, b] pairs) with a tokenizer and prints ids, tokens,
/// offsets, type_ids, attention_mask and special_tokens_mask per input (the field names of the HF fixtures);
/// with <c>--decode</c>, decodes a JSON array of id arrays.
/// </summary>
internal static class TokenizeCommand
{
    public static Command Create()
    {
        var tokenizerOption = new Option<string>("--tokenizer") { Description = "Tokenizer file (tokenizer.json, .gguf, SentencePiece .model, llama2.c tokenizer.bin, vocab.txt, vocab.json) or model folder", Required = true };
        var inputOption = new Option<FileInfo>("--input") { Description = "JSON file: array of strings, of [a, b] pairs, or (with --decode) of id arrays", Required = true };
        var pairOption = new Option<bool>("--pair") { Description = "Inputs are [text, text_pair] pairs" };
        var noSpecialOption = new Option<bool>("--no-special") { Description = "Do not add special tokens (with --decode: skip special tokens)" };
        var jsonOption = new Option<bool>("--json") { Description = "Print JSON (otherwise a readable listing)" };
        var decodeOption = new Option<bool>("--decode") { Description = "Decode id arrays instead of encoding text" };
        var command = new Command("tokenize", "Encode texts (or decode ids) with a Hugging Face tokenizer");
        foreach (var o in new Option[] { tokenizerOption, inputOption, pairOption, noSpecialOption, jsonOption, decodeOption })
        {
            command.Options.Add(o);
        }

        command.SetAction(parseResult =>
        {
            try
            {
                var tokenizer = AutoTokenizer.Load(parseResult.GetValue(tokenizerOption)!);
                var input = JsonNode.Parse(File.ReadAllText(parseResult.GetValue(inputOption)!.FullName)) as JsonArray
                    ?? throw new TokenizerException("--input: expected a JSON array at the top level.");
                bool json = parseResult.GetValue(jsonOption);
                bool noSpecial = parseResult.GetValue(noSpecialOption);
                var output = parseResult.GetValue(decodeOption)
                    ? Decode(tokenizer, input, skipSpecial: noSpecial)
                    : Encode(tokenizer, input, parseResult.GetValue(pairOption), addSpecial: !noSpecial);
                if (json)
                {
                    Console.WriteLine(output.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
                }
                else
                {
                    foreach (var item in output)
                    {
                        Console.WriteLine(item is JsonObject o ? string.Join(" ", o["tokens"]!.AsArray().Select(t => (string)t!)) : (string?)item);
                    }
                }

                return 0;
            }
            catch (Exception e) when (e is TokenizerException or IOException or JsonException or InvalidOperationException or FormatException)
            {
                Console.Error.WriteLine($"loom tokenize: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static JsonArray Encode(Tokenizer tokenizer, JsonArray input, bool pair, bool addSpecial)
    {
        var result = new JsonArray();
        for (int i = 0; i < input.Count; i++)
        {
            var item = input[i];
            Encoding encoding;
            if (item is JsonArray ab)
            {
                if (ab.Count != 2)
                {
                    throw new TokenizerException($"--input[{i}]: expected a [text, text_pair] pair, found {ab.Count} items.");
                }

                encoding = tokenizer.Encode((string)ab[0]!, (string)ab[1]!, addSpecial);
            }
            else if (pair)
            {
                throw new TokenizerException($"--input[{i}]: --pair expects [text, text_pair] arrays, found {item?.GetValueKind()}.");
            }
            else
            {
                encoding = tokenizer.Encode((string)item!, null, addSpecial);
            }

            result.Add(ToJson(encoding));
        }

        return result;
    }

    private static JsonObject ToJson(Encoding e) => new()
    {
        ["ids"] = new JsonArray([.. e.Ids.Select(x => (JsonNode)x)]),
        ["tokens"] = new JsonArray([.. e.Tokens.Select(x => (JsonNode)x)]),
        ["offsets"] = new JsonArray([.. e.Offsets.Select(o => (JsonNode)new JsonArray(o.Start, o.End))]),
        ["type_ids"] = new JsonArray([.. e.TypeIds.Select(x => (JsonNode)x)]),
        ["attention_mask"] = new JsonArray([.. e.AttentionMask.Select(x => (JsonNode)x)]),
        ["special_tokens_mask"] = new JsonArray([.. e.SpecialTokensMask.Select(x => (JsonNode)x)]),
    };

    private static JsonArray Decode(Tokenizer tokenizer, JsonArray input, bool skipSpecial)
    {
        bool flat = input.All(x => x is JsonValue);
        var sequences = flat ? [input] : input.Select((x, i) => x as JsonArray ?? throw new TokenizerException($"--input[{i}]: expected an array of ids.")).ToList();
        var result = new JsonArray();
        foreach (var seq in sequences)
        {
            result.Add((JsonNode)tokenizer.Decode(seq.Select(x => (int)x!).ToList(), skipSpecial));
        }

        return result;
    }
}
