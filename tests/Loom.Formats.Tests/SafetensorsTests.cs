using System.Buffers.Binary;
using System.Text;
using Loom.Formats.Safetensors;

namespace Loom.Formats.Tests;

/// <summary>Writer/reader behaviour on small files built here: dtypes, metadata, atomic saves, bad input.</summary>
public class SafetensorsTests
{
    internal static byte[] SmallFile()
    {
        var writer = new SafetensorsWriter();
        writer.SetMetadata("format", "pt");
        writer.SetMetadata("note", "quote \" backslash \\ newline \n ü");
        writer.AddFloat32("a.weight", [2, 3], [1f, -2f, 3.5f, 0.1f, 1e-8f, 65504f], SafetensorsDType.F32);
        writer.AddFloat32("b.half", [4], [1f, -0.5f, 0.1f, 70000f], SafetensorsDType.F16);
        writer.AddFloat32("c.brain", [2, 2], [1f, -0.5f, 0.1f, 3e38f], SafetensorsDType.BF16);
        writer.Add("d.ids", SafetensorsDType.I64, [3], new byte[24]);
        writer.Add("e.scalar", SafetensorsDType.F32, [], BitConverter.GetBytes(7f));
        writer.Add("f.empty", SafetensorsDType.F32, [0, 5], Array.Empty<byte>());
        using var stream = new MemoryStream();
        writer.WriteTo(stream);
        return stream.ToArray();
    }

    [Fact]
    public void Every_float_dtype_converts_to_float32()
    {
        using var file = SafetensorsFile.FromBytes(SmallFile());
        Assert.Equal([1f, -2f, 3.5f, 0.1f, 1e-8f, 65504f], file.ReadFloat32("a.weight"));
        Assert.Equal([1f, -0.5f, (float)(Half)0.1f, float.PositiveInfinity], file.ReadFloat32("b.half"));
        // bfloat16 of 0.1f: 0x3DCCCCCD rounds to 0x3DCD; 3e38 (0x7F61B1E6) rounds to 0x7F62.
        Assert.Equal([1f, -0.5f, BitConverter.UInt32BitsToSingle(0x3DCD_0000), BitConverter.UInt32BitsToSingle(0x7F62_0000)], file.ReadFloat32("c.brain"));
        Assert.Equal([7f], file.ReadFloat32("e.scalar"));
        Assert.Empty(file.ReadFloat32("f.empty"));
        Assert.Equal(SafetensorsDType.I64, file.GetEntry("d.ids").DType);
        Assert.Throws<NotSupportedException>(() => file.ReadFloat32("d.ids"));
        Assert.Equal("quote \" backslash \\ newline \n ü", file.Metadata["note"]);
    }

    [Fact]
    public void Layout_follows_the_reference_writer()
    {
        byte[] bytes = SmallFile();
        using var file = SafetensorsFile.FromBytes(bytes);
        // Descending dtype order (I64 > F32 > BF16 > F16), then name.
        Assert.Equal(["d.ids", "a.weight", "e.scalar", "f.empty", "c.brain", "b.half"], file.Entries.Select(e => e.Name));
        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, headerLength % 8);
        string header = Encoding.UTF8.GetString(bytes, 8, (int)headerLength);
        Assert.StartsWith("{\"__metadata__\":{\"format\":\"pt\",\"note\":\"quote \\\" backslash \\\\ newline \\n ü\"},\"d.ids\":{\"dtype\":\"I64\",\"shape\":[3],\"data_offsets\":[0,24]}", header, StringComparison.Ordinal);
    }

    [Fact]
    public void Save_is_atomic_and_leaves_no_temporary_files()
    {
        string folder = TestData.TempFolder();
        string path = Path.Combine(folder, "model.safetensors");
        File.WriteAllText(path, "previous content");
        Assert.Throws<InvalidOperationException>(() => IO.AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[100]);
            throw new InvalidOperationException("simulated crash while writing");
        }));
        Assert.Equal("previous content", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(folder));

        var writer = new SafetensorsWriter();
        writer.AddFloat32("x", [2], [1f, 2f]);
        writer.Save(path);
        Assert.Single(Directory.GetFiles(folder));
        using var file = SafetensorsFile.Open(path);
        Assert.Equal([1f, 2f], file.ReadFloat32("x"));
    }

    [Fact]
    public void Sharded_checkpoint_round_trips_through_the_index()
    {
        using var source = SafetensorsFile.Open(TestData.Path("hf", "gpt2", "model.safetensors"));
        var writer = new SafetensorsWriter();
        writer.SetMetadata("format", "pt");
        foreach (var entry in source.Entries)
        {
            writer.Add(entry.Name, entry.DType, entry.Shape, source.GetBytes(entry).ToArray());
        }

        string folder = TestData.TempFolder();
        var written = writer.SaveSharded(folder, maxShardBytes: 200_000);
        Assert.Equal("model.safetensors.index.json", written[^1]);
        Assert.True(written.Count >= 4, $"expected several shards, got {string.Join(", ", written)}");
        var index = SafetensorsIndex.Load(Path.Combine(folder, "model.safetensors.index.json"));
        Assert.Equal(source.Entries.Sum(e => e.ByteLength), index.TotalSize);
        Assert.Equal(source.Entries.Count, index.WeightMap.Count);

        using var checkpoint = SafetensorsCheckpoint.Open(folder);
        Assert.Equal(source.Entries.Count, checkpoint.Count);
        var norm = new float[64];
        checkpoint.ReadFloat32("transformer.ln_f.weight", norm);
        Assert.Equal(source.ReadFloat32("transformer.ln_f.weight"), norm);
        foreach (var entry in source.Entries)
        {
            var (shard, found) = checkpoint.Find(entry.Name);
            Assert.Equal(source.GetBytes(entry).ToArray(), shard.GetBytes(found).ToArray());
            Assert.Equal("pt", shard.Metadata["format"]);
        }

        // One shard when everything fits: a plain model.safetensors, as transformers does.
        string single = TestData.TempFolder();
        Assert.Equal(["model.safetensors"], writer.SaveSharded(single, long.MaxValue));
        using var whole = SafetensorsCheckpoint.Open(single);
        Assert.Equal(source.Entries.Count, whole.Count);
    }

    [Fact]
    public void Index_and_shards_that_disagree_are_rejected()
    {
        string folder = TestData.TempFolder();
        var writer = new SafetensorsWriter();
        writer.AddFloat32("a", [1], [1f]);
        writer.Save(Path.Combine(folder, "model-00001-of-00001.safetensors"));
        File.WriteAllText(Path.Combine(folder, "model.safetensors.index.json"), """{"metadata":{"total_size":4},"weight_map":{"a":"model-00001-of-00001.safetensors","b":"model-00001-of-00001.safetensors"}}""");
        var missing = Assert.Throws<ModelFormatException>(() => SafetensorsCheckpoint.Open(folder));
        Assert.Contains("'b'", missing.Message, StringComparison.Ordinal);

        var traversal = Assert.Throws<ModelFormatException>(() => SafetensorsIndex.Parse("""{"weight_map":{"a":"../secret.safetensors"}}"""));
        Assert.Contains("plain file name", traversal.Message, StringComparison.Ordinal);
        Assert.Throws<ModelFormatException>(() => SafetensorsIndex.Parse("{not json"));
        Assert.Throws<ModelFormatException>(() => SafetensorsIndex.Parse("""{"weight_map":{"a":3}}"""));
    }

    public static TheoryData<string, string> BadHeaders() => new()
    {
        { """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", "past the end" },
        { """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}""", "span 4 bytes" },
        { """{"a":{"dtype":"F99","shape":[1],"data_offsets":[0,4]}}""", "unknown dtype 'F99'" },
        { """{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", "non-negative integer" },
        { """{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}""", "end before they begin" },
        { """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", "overlapping" },
        { """{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", "gap" },
        { """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", "appears twice" },
        { """{"a":{"dtype":"F32","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,4]}}""", "64-bit" },
        { """{"a":{"dtype":"F32","shape":[1]}}""", "data_offsets" },
        { """{"__metadata__":{"x":1}}""", "must be a string" },
        { """{"a":[1,2]}""", "expected an object" },
        { """[1,2]""", "starting with '{'" },
        { "{\"a\":" + new string('[', 200) + new string(']', 200) + "}", "not valid JSON" },
        { """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]""", "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public void Bad_headers_raise_a_typed_error_naming_the_problem(string header, string expectedFragment)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        var error = Assert.Throws<ModelFormatException>(() => SafetensorsFile.FromBytes(bytes));
        Assert.Contains(expectedFragment, error.Message, StringComparison.Ordinal);
        Assert.Equal("safetensors", error.Format);
    }

    [Theory]
    [InlineData(0UL, "empty header")]
    [InlineData(100_000_001UL, "exceeds the limit")]
    [InlineData(ulong.MaxValue, "exceeds the limit")]
    [InlineData(5000UL, "runs past the end of the file")]
    public void Tampered_header_lengths_are_rejected(ulong declared, string expectedFragment)
    {
        byte[] bytes = SmallFile();
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declared);
        var error = Assert.Throws<ModelFormatException>(() => SafetensorsFile.FromBytes(bytes));
        Assert.Contains(expectedFragment, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_truncation_of_a_real_file_is_rejected()
    {
        byte[] bytes = File.ReadAllBytes(TestData.Path("hf", "llama", "model.safetensors"));
        var lengths = Enumerable.Range(0, 3000).Concat(Enumerable.Range(0, 200).Select(i => bytes.Length - 1 - (i * 2963)));
        foreach (int length in lengths)
        {
            var error = Assert.Throws<ModelFormatException>(() => SafetensorsFile.FromBytes(bytes.AsMemory(0, length)));
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
        }
    }

    [Fact]
    public void Missing_files_and_names_have_clear_errors()
    {
        Assert.Throws<FileNotFoundException>(() => SafetensorsFile.Open(Path.Combine(TestData.TempFolder(), "none.safetensors")));
        string empty = Path.Combine(TestData.TempFolder(), "empty.safetensors");
        File.WriteAllBytes(empty, []);
        Assert.Contains("at least 8", Assert.Throws<ModelFormatException>(() => SafetensorsFile.Open(empty)).Message, StringComparison.Ordinal);
        using var file = SafetensorsFile.FromBytes(SmallFile());
        var missing = Assert.Throws<KeyNotFoundException>(() => file.GetEntry("nope"));
        Assert.Contains("'nope'", missing.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => file.ReadFloat32(file.GetEntry("a.weight"), new float[5]));
    }

    [Fact]
    public void Writer_rejects_inconsistent_tensors()
    {
        var writer = new SafetensorsWriter();
        Assert.Throws<ArgumentException>(() => writer.Add("x", SafetensorsDType.F32, [3], new byte[8]));
        Assert.Throws<ArgumentException>(() => writer.Add("x", SafetensorsDType.F32, [-1], Array.Empty<byte>()));
        Assert.Throws<ArgumentException>(() => writer.Add("__metadata__", SafetensorsDType.F32, [1], new byte[4]));
        writer.Add("x", SafetensorsDType.F32, [1], new byte[4]);
        Assert.Throws<ArgumentException>(() => writer.Add("x", SafetensorsDType.F32, [1], new byte[4]));
        Assert.Throws<ArgumentException>(() => writer.AddFloat32("y", [1], [1f], SafetensorsDType.I32));
    }
}
