using Loom.Formats.Gguf;
using Loom.Formats.Llama2c;
using Loom.Formats.Safetensors;

namespace Loom.Formats.Tests;

/// <summary>Stream inputs (seekable or not, with a size limit), GGUF v2, and opening a checkpoint by file path.</summary>
public class StreamAndVersionTests
{
    [Fact]
    public void Non_seekable_streams_are_read_and_the_size_limit_holds()
    {
        byte[] bytes = SafetensorsTests.SmallFile();
        using (var file = SafetensorsFile.FromStream(new ForwardOnlyStream(bytes)))
        {
            Assert.Equal("stream", file.Source);
            Assert.Equal(6, file.Entries.Count);
        }

        var error = Assert.Throws<ModelFormatException>(() => SafetensorsFile.FromStream(new ForwardOnlyStream(bytes), maxBytes: 100));
        Assert.Contains("in-memory limit of 100", error.Message, StringComparison.Ordinal);
        Assert.Throws<ModelFormatException>(() => GgufFile.FromStream(new MemoryStream(GgufTests.SmallFile()), maxBytes: 64));
        using var gguf = GgufFile.FromStream(new ForwardOnlyStream(GgufTests.SmallFile()));
        Assert.Equal(5, gguf.Tensors.Count);
        var (config, arrays, freq) = Llama2cFiles.Tiny(shared: true);
        using var llama = Llama2cCheckpoint.FromStream(new ForwardOnlyStream(Llama2cFiles.Legacy(config, arrays, freq)));
        Assert.Equal(arrays["wq"], llama.ReadFloat32("wq"));
    }

    [Fact]
    public void Gguf_version_2_files_read_like_version_3()
    {
        var writer = new GgufWriter(version: 2);
        writer.AddMetadata("general.name", GgufValue.FromString("v2"));
        writer.AddFloat32("t", [32], GgufTests.Ramp(32, 1f), GgmlType.Q8_0);
        using var stream = new MemoryStream();
        writer.WriteTo(stream);
        using var file = GgufFile.FromBytes(stream.ToArray());
        Assert.Equal(2u, file.Version);
        Assert.Equal("v2", file.GetValue("general.name").AsString());
        Assert.Equal(32, file.ReadFloat32("t").Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => new GgufWriter(version: 1));
    }

    [Fact]
    public void Checkpoint_opens_a_single_file_path_and_rejects_an_empty_folder()
    {
        using var checkpoint = SafetensorsCheckpoint.Open(TestData.Path("hf", "llama", "model.safetensors"));
        using var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllText(TestData.Path("hf", "llama", "fixture.json")));
        Assert.Equal(manifest.RootElement.GetProperty("keys_in_file").GetArrayLength(), checkpoint.Count);
        Assert.Equal(64, checkpoint.ReadFloat32("model.norm.weight").Length);
        Assert.Throws<KeyNotFoundException>(() => checkpoint.Find("lm_head.bias"));
        Assert.Throws<FileNotFoundException>(() => SafetensorsCheckpoint.Open(TestData.TempFolder()));
    }
}
