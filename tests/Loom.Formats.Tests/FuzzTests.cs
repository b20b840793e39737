using System.Buffers.Binary;
using System.Text;
using Loom.Formats.Gguf;
using Loom.Formats.Llama2c;
using Loom.Formats.Safetensors;
using Xunit.Abstractions;

namespace Loom.Formats.Tests;

/// <summary>
/// Mutated files fed to every reader in memory: each outcome must be a successful parse (after which every tensor
/// is read) or a <see cref="ModelFormatException"/> — never another exception, a crash, a hang or a huge allocation.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    private static readonly string[] JsonFragments =
        ["{", "}", "[", "]", "\"", ":", ",", "-", "0", "1e3", "99999999999999999999", "-1", "null", "true", "\"F16\"", "\"BF16\"", "\"I64\"", "\"__metadata__\"", " ", "\\u0000", "\"shape\"", "\"data_offsets\""];

    [Fact]
    public void Safetensors_reader_survives_ten_thousand_mutations()
    {
        var outcome = new FuzzOutcome();
        var mutator = new Mutator(20240901);
        byte[] small = SafetensorsTests.SmallFile();
        byte[] real = File.ReadAllBytes(TestData.Path("hf", "gpt2", "model.safetensors"));
        for (int i = 0; i < 10_000; i++)
        {
            byte[] bytes = (i % 3) switch
            {
                0 => mutator.Mutate(small, HeaderEnd(small)),
                1 => EditJson(small, mutator.Random),
                _ => TamperHeaderLength(small, mutator.Random),
            };
            outcome.Run(i, () => ParseSafetensors(bytes));
        }

        // Header-region edits of a real Hugging Face file (copied per case; the data section is 540 KB).
        for (int i = 0; i < 600; i++)
        {
            byte[] bytes = i % 2 == 0 ? mutator.Mutate(real, HeaderEnd(real)) : EditJson(real, mutator.Random);
            outcome.Run(10_000 + i, () => ParseSafetensors(bytes));
        }

        outcome.AssertOnlyTypedOutcomes(output, 10_000);
    }

    [Fact]
    public void Gguf_reader_survives_ten_thousand_mutations()
    {
        var outcome = new FuzzOutcome();
        var mutator = new Mutator(7);
        byte[] small = GgufTests.SmallFile();
        byte[] aligned = GgufTests.SmallFile(alignment: 64);
        for (int i = 0; i < 10_000; i++)
        {
            byte[] bytes = mutator.Mutate(i % 2 == 0 ? small : aligned, 700);
            outcome.Run(i, () => ParseGguf(bytes));
        }

        byte[] vocab = File.ReadAllBytes(TestData.Path("llama_cpp_vocab", "ggml-vocab-bert-bge.gguf"));
        for (int i = 0; i < 200; i++)
        {
            byte[] bytes = mutator.Mutate(vocab, 2048);
            outcome.Run(10_000 + i, () => ParseGguf(bytes));
        }

        outcome.AssertOnlyTypedOutcomes(output, 10_000);
    }

    [Fact]
    public void Llama2c_reader_survives_ten_thousand_mutations()
    {
        var outcome = new FuzzOutcome();
        var mutator = new Mutator(260);
        var (sharedConfig, sharedArrays, freq) = Llama2cFiles.Tiny(shared: true);
        var (separateConfig, separateArrays, _) = Llama2cFiles.Tiny(shared: false);
        byte[][] bases =
        [
            Llama2cFiles.Legacy(sharedConfig, sharedArrays, freq),
            Llama2cFiles.Legacy(separateConfig, separateArrays, freq),
            Llama2cFiles.Version1(sharedConfig, sharedArrays),
            Llama2cFiles.Version1(separateConfig, separateArrays),
        ];
        for (int i = 0; i < 10_000; i++)
        {
            byte[] original = bases[i % bases.Length];
            byte[] bytes = mutator.Mutate(original, original.Length > 256 && i % 2 == 0 ? 40 : 28);
            outcome.Run(i, () => ParseLlama2c(bytes));
        }

        byte[] stories = File.ReadAllBytes(TestData.Path("llama2c", "stories260K.bin"));
        byte[] header = stories[..28];
        for (int i = 0; i < 1_000; i++)
        {
            byte[] mutated = mutator.Mutate(header, 28);
            if (mutated.Length != 28)
            {
                outcome.Run(10_000 + i, () => ParseLlama2c(mutated));
                continue;
            }

            mutated.CopyTo(stories, 0);
            outcome.Run(10_000 + i, () => ParseLlama2c(stories));
            header.CopyTo(stories, 0);
        }

        outcome.AssertOnlyTypedOutcomes(output, 10_000);
    }

    private static int HeaderEnd(byte[] file) => 8 + (int)Math.Min((ulong)file.Length - 8, BinaryPrimitives.ReadUInt64LittleEndian(file));

    private static byte[] EditJson(byte[] file, Random random)
    {
        int headerLength = HeaderEnd(file) - 8;
        string json = Encoding.UTF8.GetString(file, 8, headerLength);
        int at = random.Next(json.Length);
        json = random.Next(4) switch
        {
            0 => json.Remove(at, Math.Min(json.Length - at, 1 + random.Next(6))),
            1 => json.Insert(at, JsonFragments[random.Next(JsonFragments.Length)]),
            2 => ReplaceNumber(json, random),
            _ => json.Remove(at, 1).Insert(at, JsonFragments[random.Next(JsonFragments.Length)]),
        };
        byte[] header = Encoding.UTF8.GetBytes(json);
        // Usually keep the header length consistent so the edit reaches the JSON checks.
        ulong declared = random.Next(5) == 0 ? (ulong)headerLength : (ulong)header.Length;
        var result = new byte[8 + header.Length + (file.Length - 8 - headerLength)];
        BinaryPrimitives.WriteUInt64LittleEndian(result, declared);
        header.CopyTo(result, 8);
        file.AsSpan(8 + headerLength).CopyTo(result.AsSpan(8 + header.Length));
        return result;
    }

    private static string ReplaceNumber(string json, Random random)
    {
        var digits = Enumerable.Range(0, json.Length).Where(i => char.IsAsciiDigit(json[i])).ToList();
        if (digits.Count == 0)
        {
            return json;
        }

        int at = digits[random.Next(digits.Count)];
        string[] replacements = ["0", "1", "3", "7", "16", "255", "4294967296", "9223372036854775807", "18446744073709551615", "-8", "1.5"];
        return json.Remove(at, 1).Insert(at, replacements[random.Next(replacements.Length)]);
    }

    private static byte[] TamperHeaderLength(byte[] file, Random random)
    {
        var bytes = (byte[])file.Clone();
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        ulong[] choices = [0, 1, 2, length - 1, length + 1, length + 8, (ulong)bytes.Length, (ulong)bytes.Length - 8, ulong.MaxValue, 1UL << 63, 100_000_000, (ulong)random.NextInt64()];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, choices[random.Next(choices.Length)]);
        return bytes;
    }

    private static void ParseSafetensors(byte[] bytes)
    {
        using var file = SafetensorsFile.FromBytes(bytes);
        foreach (var entry in file.Entries)
        {
            if (entry.DType.IsConvertibleToFloat32())
            {
                file.ReadFloat32(entry, new float[entry.ElementCount]);
            }
            else
            {
                Assert.Equal(entry.ByteLength, file.GetBytes(entry).Length);
            }
        }

        _ = file.Metadata.Count;
    }

    private static void ParseGguf(byte[] bytes)
    {
        using var file = GgufFile.FromBytes(bytes);
        foreach (var (_, value) in file.Metadata)
        {
            _ = value.ToString();
            if (value.Type == GgufValueType.Array && value.ElementType == GgufValueType.String)
            {
                _ = value.AsStrings();
            }
        }

        foreach (var tensor in file.Tensors)
        {
            if (tensor.Type.IsConvertibleToFloat32())
            {
                file.ReadFloat32(tensor, new float[tensor.ElementCount]);
            }
            else
            {
                Assert.Equal(tensor.ByteLength, file.GetBytes(tensor).Length);
            }
        }
    }

    private static void ParseLlama2c(byte[] bytes)
    {
        using var model = Llama2cCheckpoint.FromBytes(bytes);
        foreach (var tensor in model.Tensors)
        {
            Assert.Equal(tensor.ElementCount, model.GetData(tensor).Length);
        }
    }
}
