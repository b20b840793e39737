using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Loom.Formats.Gguf;

namespace Loom.Formats.Tests;

/// <summary>GGUF tensors (F32, F16, BF16, Q8_0, Q4_0), quantised block layouts, the writer, and bad input.</summary>
public class GgufTests
{
    internal static float[] Ramp(int count, float scale) => [.. Enumerable.Range(0, count).Select(i => MathF.Sin(i * 0.37f) * scale)];

    internal static byte[] SmallFile(uint alignment = 32)
    {
        var writer = new GgufWriter();
        writer.AddMetadata("general.architecture", GgufValue.FromString("llama"));
        if (alignment != 32)
        {
            writer.AddMetadata(GgufFile.AlignmentKey, GgufValue.FromScalar(alignment));
        }

        writer.AddMetadata("test.u8", GgufValue.FromScalar((byte)200));
        writer.AddMetadata("test.i16", GgufValue.FromScalar((short)-300));
        writer.AddMetadata("test.u64", GgufValue.FromScalar(ulong.MaxValue));
        writer.AddMetadata("test.f64", GgufValue.FromScalar(0.1));
        writer.AddMetadata("test.bool", GgufValue.FromScalar(true));
        writer.AddMetadata("test.strings", GgufValue.FromStrings(["a", "", "ü→"]));
        writer.AddMetadata("test.nested", GgufValue.FromArrays([GgufValue.FromArray(new[] { 1, 2 }), GgufValue.FromStrings(["x"])]));
        writer.AddMetadata("test.bools", GgufValue.FromArray(new[] { true, false }));
        writer.AddFloat32("f32", [2, 32], Ramp(64, 3f), GgmlType.F32);
        writer.AddFloat32("f16", [3, 4], Ramp(12, 2f), GgmlType.F16);
        writer.AddFloat32("bf16", [5], Ramp(5, 2f), GgmlType.BF16);
        writer.AddFloat32("q8", [2, 64], Ramp(128, 5f), GgmlType.Q8_0);
        writer.AddFloat32("q4", [32], Ramp(32, 1f), GgmlType.Q4_0);
        using var stream = new MemoryStream();
        writer.WriteTo(stream);
        return stream.ToArray();
    }

    [Theory]
    [InlineData(32u)]
    [InlineData(64u)]
    [InlineData(8u)]
    public void Written_files_read_back_with_every_tensor_type(uint alignment)
    {
        byte[] bytes = SmallFile(alignment);
        using var file = GgufFile.FromBytes(bytes);
        Assert.Equal(3u, file.Version);
        Assert.Equal((int)alignment, file.Alignment);
        Assert.Equal(0, file.DataOffset % alignment);
        Assert.Equal(["f32", "f16", "bf16", "q8", "q4"], file.Tensors.Select(t => t.Name));
        foreach (var tensor in file.Tensors)
        {
            Assert.Equal(0, (tensor.Offset - file.DataOffset) % alignment);
        }

        var q8 = file.GetTensor("q8");
        Assert.Equal([2L, 64L], q8.Shape);
        Assert.Equal([64L, 2L], q8.Dimensions);
        Assert.Equal(4 * 34, q8.ByteLength);

        Assert.Equal(Ramp(64, 3f), file.ReadFloat32("f32"));
        Assert.Equal(Ramp(12, 2f).Select(x => (float)(Half)x), file.ReadFloat32("f16"));
        var bf16 = new byte[10];
        FloatConversion.Float32ToBFloat16Bytes(Ramp(5, 2f), bf16);
        var expectedBf16 = new float[5];
        FloatConversion.BFloat16BytesToFloat32(bf16, expectedBf16);
        Assert.Equal(expectedBf16, file.ReadFloat32("bf16"));

        // Dequantised Q8_0 equals scale × q read from the raw blocks, and stays within half a step of the input
        // plus the binary16 rounding of the scale (at most 127 · scale · 2^-11).
        var blocks = file.GetBlocksQ8_0(q8);
        Assert.Equal(4, blocks.Length);
        float[] dequantised = file.ReadFloat32("q8");
        float[] input = Ramp(128, 5f);
        for (int i = 0; i < 128; i++)
        {
            float scale = (float)blocks[i / 32].Scale;
            Assert.Equal(blocks[i / 32].Quants[i % 32] * scale, dequantised[i]);
            Assert.True(MathF.Abs(dequantised[i] - input[i]) <= (0.5f * scale) + (127f * scale / 2048f) + 1e-6f, $"q8 element {i}: {dequantised[i]} vs {input[i]}");
        }

        Assert.Equal(1, file.GetBlocksQ4_0(file.GetTensor("q4")).Length);
        Assert.Throws<ArgumentException>(() => file.GetBlocksQ4_0(q8));

        Assert.Equal(200, file.GetValue("test.u8").AsInt64());
        Assert.Equal(-300, file.GetValue("test.i16").AsInt64());
        Assert.Equal(0.1, file.GetValue("test.f64").AsDouble());
        Assert.Throws<InvalidOperationException>(() => file.GetValue("test.u64").AsInt64());
        Assert.Equal(["a", "", "ü→"], file.GetValue("test.strings").AsStrings());
        var nested = file.GetValue("test.nested").AsArrays();
        Assert.Equal([1, 2], nested[0].AsArray<int>());
        Assert.Equal(["x"], nested[1].AsStrings());
        Assert.Equal([true, false], file.GetValue("test.bools").AsArray<bool>());

        // Read it all back through the writer: byte-identical.
        var writer = new GgufWriter();
        foreach (var (key, value) in file.Metadata)
        {
            writer.AddMetadata(key, value);
        }

        foreach (var tensor in file.Tensors)
        {
            writer.AddTensor(tensor.Name, tensor.Type, tensor.Shape, file.GetBytes(tensor).ToArray());
        }

        using var again = new MemoryStream();
        writer.WriteTo(again);
        Assert.Equal(bytes, again.ToArray());
    }

    [Fact]
    public void Q8_0_block_layout_and_dequantisation_by_hand()
    {
        // One block: scale 0.5 (exact in binary16), quants -128..-97 → values q × 0.5.
        var raw = new byte[34];
        BinaryPrimitives.WriteUInt16LittleEndian(raw, BitConverter.HalfToUInt16Bits((Half)0.5f));
        for (int i = 0; i < 32; i++)
        {
            raw[2 + i] = unchecked((byte)(sbyte)(i - 128));
        }

        Assert.Equal(34, Marshal.SizeOf<BlockQ8_0>());
        var blocks = MemoryMarshal.Cast<byte, BlockQ8_0>(raw);
        var values = new float[32];
        GgmlQuantization.DequantizeQ8_0(blocks, values);
        Assert.Equal(Enumerable.Range(0, 32).Select(i => (i - 128) * 0.5f), values);
    }

    [Fact]
    public void Q4_0_block_layout_and_dequantisation_by_hand()
    {
        // Scale 2: byte j = low nibble j (value j), high nibble 15 − j (value j + 16).
        var raw = new byte[18];
        BinaryPrimitives.WriteUInt16LittleEndian(raw, BitConverter.HalfToUInt16Bits((Half)2f));
        for (int j = 0; j < 16; j++)
        {
            raw[2 + j] = (byte)(j | ((15 - j) << 4));
        }

        Assert.Equal(18, Marshal.SizeOf<BlockQ4_0>());
        var values = new float[32];
        GgmlQuantization.DequantizeQ4_0(MemoryMarshal.Cast<byte, BlockQ4_0>(raw), values);
        for (int j = 0; j < 16; j++)
        {
            Assert.Equal((j - 8) * 2f, values[j]);
            Assert.Equal((15 - j - 8) * 2f, values[j + 16]);
        }
    }

    [Fact]
    public void Quantisers_follow_ggml_rounding()
    {
        // Q8_0: max |x| = 127 gives scale 1, so integers quantise to themselves.
        float[] integers = [.. Enumerable.Range(0, 32).Select(i => i == 5 ? -127f : (i * 7 % 255) - 127f)];
        var q8 = new BlockQ8_0[1];
        GgmlQuantization.QuantizeQ8_0(integers, q8);
        Assert.Equal((Half)1f, q8[0].Scale);
        for (int i = 0; i < 32; i++)
        {
            Assert.Equal((sbyte)integers[i], q8[0].Quants[i]);
        }

        // Ties round away from zero: scale 1, x = 2.5 → 3 and −2.5 → −3.
        float[] ties = [127f, 2.5f, -2.5f, .. new float[29]];
        GgmlQuantization.QuantizeQ8_0(ties, q8);
        Assert.Equal((sbyte)3, q8[0].Quants[1]);
        Assert.Equal((sbyte)-3, q8[0].Quants[2]);

        // Q4_0: the extreme value −8 gives scale 1 and nibble x + 8; the extreme +8 gives scale −1 and nibble 8 − x.
        float[] negative = [.. Enumerable.Range(0, 32).Select(i => (float)((i % 16) - 8))];
        var q4 = new BlockQ4_0[1];
        GgmlQuantization.QuantizeQ4_0(negative, q4);
        Assert.Equal((Half)1f, q4[0].Scale);
        var back = new float[32];
        GgmlQuantization.DequantizeQ4_0(q4, back);
        Assert.Equal(negative, back);

        float[] positive = [.. Enumerable.Range(0, 32).Select(i => (float)((i % 16) - 7))];
        GgmlQuantization.QuantizeQ4_0(positive, q4);
        Assert.Equal((Half)(-1f), q4[0].Scale);
        Assert.Equal((byte)(8 - positive[0]) | ((8 - (int)positive[16]) << 4), q4[0].Packed[0]);
        GgmlQuantization.DequantizeQ4_0(q4, back);
        Assert.Equal(positive, back);

        // All zeros: scale 0, every value dequantises to 0.
        GgmlQuantization.QuantizeQ4_0(new float[32], q4);
        GgmlQuantization.DequantizeQ4_0(q4, back);
        Assert.All(back, v => Assert.Equal(0f, v));
    }

    private static byte[] Header(uint magic, uint version, ulong tensors, ulong keyValues)
    {
        var bytes = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, magic);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), version);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), tensors);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(16), keyValues);
        return bytes;
    }

    [Theory]
    [InlineData(0x12345678u, 3u, 0UL, 0UL, "bad magic")]
    [InlineData(0x47475546u, 3u, 0UL, 0UL, "big-endian")]
    [InlineData(GgufFile.Magic, 1u, 0UL, 0UL, "version 1 is not supported")]
    [InlineData(GgufFile.Magic, 4u, 0UL, 0UL, "version 4 is not supported")]
    [InlineData(GgufFile.Magic, 3u, ulong.MaxValue, 0UL, "tensor count")]
    [InlineData(GgufFile.Magic, 3u, 0UL, 1UL << 40, "key/value count")]
    public void Bad_headers_are_rejected(uint magic, uint version, ulong tensors, ulong keyValues, string fragment)
    {
        var error = Assert.Throws<ModelFormatException>(() => GgufFile.FromBytes(Header(magic, version, tensors, keyValues)));
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        Assert.Equal("gguf", error.Format);
    }

    /// <summary>Builds a file with one tensor info whose fields are given raw, to reach each tensor check.</summary>
    private static byte[] OneTensor(uint type, ulong[] dims, ulong offset, int dataBytes, string name = "w")
    {
        using var stream = new MemoryStream();
        stream.Write(Header(GgufFile.Magic, 3, 1, 0));
        var buffer = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(buffer, (ulong)name.Length);
        stream.Write(buffer);
        stream.Write(System.Text.Encoding.UTF8.GetBytes(name));
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)dims.Length);
        stream.Write(buffer, 0, 4);
        foreach (ulong dim in dims)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(buffer, dim);
            stream.Write(buffer);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(buffer, type);
        stream.Write(buffer, 0, 4);
        BinaryPrimitives.WriteUInt64LittleEndian(buffer, offset);
        stream.Write(buffer);
        while (stream.Length % 32 != 0)
        {
            stream.WriteByte(0);
        }

        stream.Write(new byte[dataBytes]);
        return stream.ToArray();
    }

    [Theory]
    [InlineData(99u, new ulong[] { 32 }, 0UL, 128, "unknown or unsupported ggml type 99")]
    [InlineData(8u, new ulong[] { 33 }, 0UL, 128, "not a multiple of the block size 32")]
    [InlineData(0u, new ulong[] { 1, 1, 1, 1, 1 }, 0UL, 4, "at most 4 allowed")]
    [InlineData(0u, new ulong[] { 1UL << 40, 1UL << 40 }, 0UL, 4, "overflow")]
    [InlineData(0u, new ulong[] { 8 }, 16UL, 64, "not a multiple of the alignment")]
    [InlineData(0u, new ulong[] { 64 }, 0UL, 100, "past the end")]
    [InlineData(0u, new ulong[] { 8 }, 1UL << 62, 64, "past the end")]
    public void Bad_tensor_infos_name_the_tensor(uint type, ulong[] dims, ulong offset, int dataBytes, string fragment)
    {
        var error = Assert.Throws<ModelFormatException>(() => GgufFile.FromBytes(OneTensor(type, dims, offset, dataBytes, "blk.0.attn_q.weight")));
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        Assert.Contains("blk.0.attn_q.weight", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsupported_conversions_and_duplicates_are_clear()
    {
        using var q41 = GgufFile.FromBytes(OneTensor(3, [32], 0, 32));
        var error = Assert.Throws<NotSupportedException>(() => q41.ReadFloat32("w"));
        Assert.Contains("Q4_1", error.Message, StringComparison.Ordinal);

        var writer = new GgufWriter();
        writer.AddMetadata("k", GgufValue.FromScalar(1));
        Assert.Throws<ArgumentException>(() => writer.AddMetadata("k", GgufValue.FromScalar(2)));
        Assert.Throws<ArgumentException>(() => writer.AddMetadata(GgufFile.AlignmentKey, GgufValue.FromScalar(24u)));
        Assert.Throws<ArgumentException>(() => writer.AddFloat32("q", [31], new float[31], GgmlType.Q8_0));
        Assert.Throws<ArgumentException>(() => writer.AddTensor("t", GgmlType.F32, [2], new byte[4]));
        Assert.Throws<ArgumentException>(() => writer.AddTensor(new string('n', 64), GgmlType.F32, [1], new byte[4]));
    }

    [Fact]
    public void Every_truncation_of_a_file_with_tensors_is_rejected()
    {
        byte[] bytes = SmallFile();
        long dataEnd;
        using (var whole = GgufFile.FromBytes(bytes))
        {
            dataEnd = whole.Tensors.Max(t => t.Offset + t.ByteLength);
        }

        Assert.True(dataEnd < bytes.Length, "the last tensor is followed by alignment padding");
        for (int length = 0; length < bytes.Length; length++)
        {
            if (length < dataEnd)
            {
                Assert.Throws<ModelFormatException>(() => GgufFile.FromBytes(bytes.AsMemory(0, length)));
            }
            else
            {
                // Only trailing padding is missing: every tensor is still complete.
                using var file = GgufFile.FromBytes(bytes.AsMemory(0, length));
                Assert.Equal(5, file.Tensors.Count);
            }
        }
    }

    [Fact]
    public void Saved_file_reads_back_memory_mapped()
    {
        var writer = new GgufWriter();
        writer.AddMetadata("general.architecture", GgufValue.FromString("llama"));
        writer.AddFloat32("q8", [4, 32], Ramp(128, 1f), GgmlType.Q8_0);
        string path = Path.Combine(TestData.TempFolder(), "model.gguf");
        writer.Save(path);
        using var file = GgufFile.Open(path);
        using var fromBytes = GgufFile.FromBytes(File.ReadAllBytes(path));
        Assert.Equal(fromBytes.ReadFloat32("q8"), file.ReadFloat32("q8"));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }
}
