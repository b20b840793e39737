using System.Buffers.Binary;
using Loom.Formats.Llama2c;

namespace Loom.Formats.Tests;

/// <summary>llama2.c checkpoints: Karpathy's stories260K (legacy header) and the v1 / separate-classifier variants.</summary>
public class Llama2cTests
{
    private static readonly string[] RunOrder =
        ["token_embedding_table", "rms_att_weight", "wq", "wk", "wv", "wo", "rms_ffn_weight", "w1", "w2", "w3", "rms_final_weight"];

    [Fact]
    public void Stories260K_header_and_arrays_match_its_model_card()
    {
        using var model = Llama2cCheckpoint.Open(TestData.Path("llama2c", "stories260K.bin"));
        // stories260K.md: dim 64, n_layers 5, n_heads 8, n_kv_heads 4, vocab 512, max_seq_len 512 (hidden 172 from multiple_of 4).
        Assert.Equal(new Llama2cConfig(64, 172, 5, 8, 4, 512, 512, SharedClassifier: true, Version: 0), model.Config);
        Assert.Equal(8, model.Config.HeadSize);
        Assert.Equal(32, model.Config.KvDim);
        Assert.Equal(RunOrder, model.Tensors.Select(t => t.Name));
        Assert.Equal([5, 32, 64], model.GetTensor("wk").Shape);
        Assert.Equal([5, 64, 172], model.GetTensor("w2").Shape);
        Assert.Contains("shares token_embedding_table", Assert.Throws<KeyNotFoundException>(() => model.GetTensor("wcls")).Message, StringComparison.Ordinal);
        Assert.Equal(28, model.GetTensor("token_embedding_table").Offset);
    }

    [Fact]
    public void Stories260K_skipped_region_holds_the_rope_tables_so_every_offset_is_right()
    {
        // Legacy export writes freqs_cos then freqs_sin (model.py precompute_freqs_cis, theta 10000) right after
        // rms_final_weight. Finding exactly those values there proves the offsets of every array before it.
        byte[] bytes = File.ReadAllBytes(TestData.Path("llama2c", "stories260K.bin"));
        using var model = Llama2cCheckpoint.FromBytes(bytes);
        var final = model.GetTensor("rms_final_weight");
        long start = final.Offset + (final.ElementCount * 4);
        int seq = model.Config.SeqLen, half = model.Config.HeadSize / 2;
        Assert.Equal(bytes.Length, start + (2L * seq * half * 4));
        double worst = 0;
        for (int pos = 0; pos < seq; pos++)
        {
            for (int i = 0; i < half; i++)
            {
                double frequency = 1.0 / Math.Pow(10000.0, 2.0 * i / model.Config.HeadSize);
                float cos = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan((int)start + (4 * ((pos * half) + i))));
                float sin = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan((int)start + (4 * ((seq * half) + (pos * half) + i))));
                worst = Math.Max(worst, Math.Max(Math.Abs(cos - Math.Cos(pos * frequency)), Math.Abs(sin - Math.Sin(pos * frequency))));
            }
        }

        Assert.True(worst < 1e-4, $"rope tables differ by {worst}");
        // The norm weights before the tables are plain RMSNorm gains, not rope values.
        Assert.Contains(model.GetData(final).ToArray(), v => MathF.Abs(v - 1f) > 0.01f);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Version1_and_legacy_files_give_the_same_arrays(bool shared)
    {
        var (config, arrays, freq) = Llama2cFiles.Tiny(shared);
        using var legacy = Llama2cCheckpoint.FromBytes(Llama2cFiles.Legacy(config, arrays, freq));
        using var version1 = Llama2cCheckpoint.FromBytes(Llama2cFiles.Version1(config, arrays));
        Assert.Equal(config, legacy.Config);
        Assert.Equal(config with { Version = 1 }, version1.Config);
        string[] expectedNames = shared ? RunOrder : [.. RunOrder, "wcls"];
        Assert.Equal(expectedNames, legacy.Tensors.Select(t => t.Name));
        Assert.Equal(expectedNames, version1.Tensors.Select(t => t.Name));
        foreach (string name in expectedNames)
        {
            Assert.Equal(arrays[name], legacy.ReadFloat32(name));
            Assert.Equal(arrays[name], version1.ReadFloat32(name));
        }
    }

    [Fact]
    public void Stories260K_converted_to_version1_reads_identically()
    {
        using var legacy = Llama2cCheckpoint.Open(TestData.Path("llama2c", "stories260K.bin"));
        var arrays = legacy.Tensors.ToDictionary(t => t.Name, t => legacy.ReadFloat32(t.Name));
        using var version1 = Llama2cCheckpoint.FromStream(new MemoryStream(Llama2cFiles.Version1(legacy.Config, arrays)));
        foreach (var tensor in legacy.Tensors)
        {
            Assert.Equal(arrays[tensor.Name], version1.ReadFloat32(tensor.Name));
        }
    }

    [Fact]
    public void Truncated_extended_and_inconsistent_files_are_rejected()
    {
        var (config, arrays, freq) = Llama2cFiles.Tiny(shared: false);
        byte[] legacy = Llama2cFiles.Legacy(config, arrays, freq);
        Assert.Contains("(truncated)", Assert.Throws<ModelFormatException>(() => Llama2cCheckpoint.FromBytes(legacy.AsMemory(0, legacy.Length - 1))).Message, StringComparison.Ordinal);
        Assert.Contains("(trailing bytes)", Assert.Throws<ModelFormatException>(() => Llama2cCheckpoint.FromBytes(legacy.Concat(new byte[4]).ToArray())).Message, StringComparison.Ordinal);
        Assert.Contains("at least the 28-byte header", Assert.Throws<ModelFormatException>(() => Llama2cCheckpoint.FromBytes(new byte[10])).Message, StringComparison.Ordinal);

        // Reading a separate-classifier file as shared leaves wcls as trailing bytes; the reverse runs short.
        byte[] flipped = (byte[])legacy.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(flipped.AsSpan(20), config.VocabSize);
        Assert.Throws<ModelFormatException>(() => Llama2cCheckpoint.FromBytes(flipped));

        byte[] version2 = Llama2cFiles.Version1(config, arrays, version: 2);
        Assert.Contains("version 2", Assert.Throws<ModelFormatException>(() => Llama2cCheckpoint.FromBytes(version2)).Message, StringComparison.Ordinal);
        byte[] badFlag = Llama2cFiles.Version1(config, arrays);
        badFlag[36] = 7;
        Assert.Contains("shared_classifier flag is 7", Assert.Throws<ModelFormatException>(() => Llama2cCheckpoint.FromBytes(badFlag)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "dim must be positive")]
    [InlineData(3, "n_heads must be positive")]
    [InlineData(4, "n_kv_heads must be positive")]
    [InlineData(6, "seq_len must be positive")]
    public void Zero_header_fields_are_named(int field, string fragment)
    {
        var (config, arrays, freq) = Llama2cFiles.Tiny(shared: true);
        byte[] bytes = Llama2cFiles.Legacy(config, arrays, freq);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4 * field), 0);
        Assert.Contains(fragment, Assert.Throws<ModelFormatException>(() => Llama2cCheckpoint.FromBytes(bytes)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Huge_header_values_do_not_allocate_or_overflow()
    {
        var (config, arrays, freq) = Llama2cFiles.Tiny(shared: true);
        byte[] bytes = Llama2cFiles.Legacy(config, arrays, freq);
        BinaryPrimitives.WriteInt32LittleEndian(bytes, int.MaxValue - 63);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), int.MaxValue);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), int.MaxValue);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), 1);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), 1);
        var error = Assert.Throws<ModelFormatException>(() => Llama2cCheckpoint.FromBytes(bytes));
        Assert.Contains("overflow", error.Message, StringComparison.Ordinal);
    }
}
