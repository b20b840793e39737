using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Loom.Formats.Llama2c;

namespace Loom.Formats.Tests;

/// <summary>
/// Builds llama2.c files for tests, following karpathy/llama2.c export.py: legacy_export (7 × int32 header,
/// run.c order, freq_cis tables, negative vocab for a separate classifier) and version1_export ("ak42", version 1,
/// params, shared flag, zero padding to 256, then norms first).
/// </summary>
internal static class Llama2cFiles
{
    public static readonly string[] Version1Order =
        ["rms_att_weight", "rms_ffn_weight", "rms_final_weight", "token_embedding_table", "wq", "wk", "wv", "wo", "w1", "w2", "w3", "wcls"];

    public static byte[] Legacy(Llama2cConfig c, IReadOnlyDictionary<string, float[]> arrays, float[] freqCis)
    {
        using var stream = new MemoryStream();
        WriteInts(stream, c.Dim, c.HiddenDim, c.LayerCount, c.HeadCount, c.KvHeadCount, c.SharedClassifier ? c.VocabSize : -c.VocabSize, c.SeqLen);
        foreach (string name in new[] { "token_embedding_table", "rms_att_weight", "wq", "wk", "wv", "wo", "rms_ffn_weight", "w1", "w2", "w3", "rms_final_weight" })
        {
            stream.Write(MemoryMarshal.AsBytes(arrays[name].AsSpan()));
        }

        stream.Write(MemoryMarshal.AsBytes(freqCis.AsSpan()));
        if (!c.SharedClassifier)
        {
            stream.Write(MemoryMarshal.AsBytes(arrays["wcls"].AsSpan()));
        }

        return stream.ToArray();
    }

    public static byte[] Version1(Llama2cConfig c, IReadOnlyDictionary<string, float[]> arrays, int version = 1)
    {
        using var stream = new MemoryStream();
        WriteInts(stream, unchecked((int)Llama2cCheckpoint.Magic), version, c.Dim, c.HiddenDim, c.LayerCount, c.HeadCount, c.KvHeadCount, c.VocabSize, c.SeqLen);
        stream.WriteByte(c.SharedClassifier ? (byte)1 : (byte)0);
        stream.Write(new byte[256 - stream.Length]);
        foreach (string name in Version1Order)
        {
            if (name != "wcls" || !c.SharedClassifier)
            {
                stream.Write(MemoryMarshal.AsBytes(arrays[name].AsSpan()));
            }
        }

        return stream.ToArray();
    }

    /// <summary>A tiny random-valued model (dim 8, 2 heads, 1 kv head, 2 layers, vocab 6, seq 4).</summary>
    public static (Llama2cConfig Config, Dictionary<string, float[]> Arrays, float[] FreqCis) Tiny(bool shared)
    {
        var config = new Llama2cConfig(8, 12, 2, 2, 1, 6, 4, shared, 0);
        var random = new Random(42);
        float[] Fill(int n) => [.. Enumerable.Range(0, n).Select(_ => (float)random.NextDouble())];
        var arrays = new Dictionary<string, float[]>
        {
            ["token_embedding_table"] = Fill(6 * 8),
            ["rms_att_weight"] = Fill(2 * 8),
            ["wq"] = Fill(2 * 8 * 8),
            ["wk"] = Fill(2 * 4 * 8),
            ["wv"] = Fill(2 * 4 * 8),
            ["wo"] = Fill(2 * 8 * 8),
            ["rms_ffn_weight"] = Fill(2 * 8),
            ["w1"] = Fill(2 * 12 * 8),
            ["w2"] = Fill(2 * 8 * 12),
            ["w3"] = Fill(2 * 12 * 8),
            ["rms_final_weight"] = Fill(8),
            ["wcls"] = Fill(6 * 8),
        };
        return (config, arrays, Fill(4 * 4));
    }

    private static void WriteInts(Stream stream, params int[] values)
    {
        var buffer = new byte[4];
        foreach (int value in values)
        {
            BinaryPrimitives.WriteInt32LittleEndian(buffer, value);
            stream.Write(buffer);
        }
    }
}
