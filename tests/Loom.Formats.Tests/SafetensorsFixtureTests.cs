using System.Security.Cryptography;
using System.Text.Json;
using Loom.Formats.Safetensors;

namespace Loom.Formats.Tests;

/// <summary>Parsing and bit-exact rewriting of model.safetensors files written by Hugging Face transformers.</summary>
public class SafetensorsFixtureTests
{
    public static TheoryData<string> Folders()
    {
        var data = new TheoryData<string>();
        foreach (string dir in Directory.GetDirectories(TestData.Path("hf")).Order(StringComparer.Ordinal))
        {
            data.Add(dir);
        }

        // The full set of 13 HF fixture folders, when the shared fixtures sit next to the repository.
        if (TestData.SharedFixtures is string shared)
        {
            foreach (string dir in Directory.GetDirectories(Path.Combine(shared, "hf")).Order(StringComparer.Ordinal))
            {
                if (File.Exists(Path.Combine(dir, "model.safetensors")))
                {
                    data.Add(dir);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Names_shapes_dtypes_and_metadata_match_the_manifest(string folder)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "fixture.json")));
        var root = manifest.RootElement;
        string path = Path.Combine(folder, "model.safetensors");
        Assert.Equal(root.GetProperty("model_safetensors_sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))));

        using var file = SafetensorsFile.Open(path);
        var expectedKeys = root.GetProperty("keys_in_file").EnumerateArray().Select(k => k.GetString()!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expectedKeys, file.Entries.Select(e => e.Name).Order(StringComparer.Ordinal).ToList());

        var stateDict = root.GetProperty("state_dict");
        foreach (var entry in file.Entries)
        {
            Assert.Equal(SafetensorsDType.F32, entry.DType);
            var expectedShape = stateDict.GetProperty(entry.Name).EnumerateArray().Select(d => d.GetInt64()).ToList();
            Assert.Equal(expectedShape, entry.Shape);
            Assert.Equal(entry.ElementCount * 4, entry.ByteLength);
        }

        var metadata = root.GetProperty("safetensors_metadata").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        Assert.Equal(metadata, file.Metadata);
        foreach (var tied in root.GetProperty("tied_keys_not_in_file").EnumerateObject())
        {
            Assert.False(file.Contains(tied.Name), $"{tied.Name} is tied and should be absent");
        }
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Raw_bytes_rewrite_to_an_identical_file(string folder)
    {
        byte[] original = File.ReadAllBytes(Path.Combine(folder, "model.safetensors"));
        using var file = SafetensorsFile.FromBytes(original);
        var writer = new SafetensorsWriter();
        foreach (var (key, value) in file.Metadata)
        {
            writer.SetMetadata(key, value);
        }

        // Add in reverse name order: the writer's own ordering must reproduce the reference layout.
        foreach (var entry in file.Entries.OrderByDescending(e => e.Name, StringComparer.Ordinal))
        {
            writer.Add(entry.Name, entry.DType, entry.Shape, file.GetBytes(entry).ToArray());
        }

        using var output = new MemoryStream();
        writer.WriteTo(output);
        Assert.Equal(original, output.ToArray());
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Float32_values_round_trip_bit_for_bit_through_a_saved_file(string folder)
    {
        string source = Path.Combine(folder, "model.safetensors");
        using var file = SafetensorsFile.Open(source);
        var writer = new SafetensorsWriter();
        writer.SetMetadata("format", "pt");
        foreach (var entry in file.Entries)
        {
            writer.AddFloat32(entry.Name, entry.Shape, file.ReadFloat32(entry.Name));
        }

        string target = Path.Combine(TestData.TempFolder(), "model.safetensors");
        writer.Save(target);
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(target));

        using var reread = SafetensorsFile.Open(target);
        foreach (var entry in file.Entries)
        {
            Assert.Equal(file.GetBytes(entry).ToArray(), reread.GetBytes(reread.GetEntry(entry.Name)).ToArray());
        }
    }

    [Fact]
    public void Path_bytes_and_stream_readers_agree()
    {
        string path = TestData.Path("hf", "gpt2", "model.safetensors");
        byte[] bytes = File.ReadAllBytes(path);
        using var mapped = SafetensorsFile.Open(path);
        using var inMemory = SafetensorsFile.FromBytes(bytes);
        using var stream = new MemoryStream(bytes);
        using var fromStream = SafetensorsFile.FromStream(stream);
        foreach (var entry in mapped.Entries)
        {
            float[] expected = mapped.ReadFloat32(entry.Name);
            Assert.Equal(expected, inMemory.ReadFloat32(entry.Name));
            Assert.Equal(expected, fromStream.ReadFloat32(entry.Name));
            Assert.Equal(entry.Offset, inMemory.GetEntry(entry.Name).Offset);
        }
    }
}
