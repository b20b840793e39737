using System.Text;
using System.Text.Json;
using Loom.Core;
using Loom.Models.Decoding;
using Loom.Models.Llama;
using Loom.Tokenizers.Formats;

namespace Loom.Models.Tests.Llama;

/// <summary>
/// stories260K (llama2.c legacy checkpoint, GQA 8/4 heads, interleaved RoPE, shared classifier) loaded as a
/// LlamaForCausalLm must reproduce run.c's greedy output exactly (golden.json, produced by llama2.c itself).
/// </summary>
public sealed class Llama2cGoldenTests
{
    [Fact]
    public void GreedyTextMatchesRunC()
    {
        var model = Llama2cLoader.Load(FixturePaths.Data("formats", "llama2c", "stories260K.bin"));
        var tokenizer = Llama2CTokenizer.Load(FixturePaths.Data("tokenizers", "llama2c", "tok512.bin"), model.VocabSize);
        using var golden = JsonDocument.Parse(File.ReadAllText(FixturePaths.Data("models", "llama2c", "golden.json")));
        var greedy = golden.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "greedy");
        var steps = int.Parse(greedy.GetProperty("run_c_args").EnumerateArray().Select(a => a.GetString()!).SkipWhile(a => a != "-n").ElementAt(1), System.Globalization.CultureInfo.InvariantCulture);

        // run.c generate(): start from BOS, one position at a time, stop at BOS or after `steps` positions.
        using var noGrad = Tensor.NoGrad();
        var cache = new DecoderCache(model.LayerCount);
        var bytes = new List<byte>();
        var token = Llama2CTokenizer.Bos;
        for (var position = 0; position < steps; position++)
        {
            var logits = model.Forward(IntTensor.FromArray([token], 1, 1), cache: cache).Logits; // (1, 1, V)
            var next = logits.Reshape(model.VocabSize).ArgMax(0).ToArray()[0];
            if (next == Llama2CTokenizer.Bos)
            {
                break;
            }

            bytes.AddRange(tokenizer.DecodePiece(token, next));
            token = next;
        }

        Assert.Equal(greedy.GetProperty("stdout").GetString(), Encoding.UTF8.GetString([.. bytes]) + "\n");
    }

    [Fact]
    public void HfExportWithPermutedRotaryRowsGivesTheSameLogits()
    {
        var original = Llama2cLoader.Load(FixturePaths.Data("formats", "llama2c", "stories260K.bin"));
        var dir = FixturePaths.TempFolder("stories260K-hf");
        LlamaHfExport.Save(original, dir);
        var reloaded = Models.Auto.AutoModel.LoadCausalLm(dir);
        var ids = IntTensor.FromArray([1, 403, 407, 261, 378, 425, 267, 9, 271, 350, 290, 501], 1, 12);

        using var noGrad = Tensor.NoGrad();
        var expected = original.Forward(ids).Logits.ToArray();
        var actual = reloaded.Forward(ids).Logits.ToArray();

        Assert.Equal(RopeLayout.HalfRotation, ((LlamaForCausalLm)reloaded).Config.RopeLayout);
        Assert.Equal(expected.Length, actual.Length);
        Assert.True(expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max() <= 1e-4f, "logits differ after the HF round trip");
        using var written = Loom.Formats.Safetensors.SafetensorsCheckpoint.Open(dir);
        Assert.False(written.Contains("lm_head.weight")); // tied, omitted as HF does
        Assert.Equal(original.Parameters.Count, written.Count);
    }

    [Fact]
    public void CheckpointMapsOntoLlamaNames()
    {
        var model = Llama2cLoader.Load(FixturePaths.Data("formats", "llama2c", "stories260K.bin"));

        Assert.Equal(5, model.LayerCount);
        Assert.Equal(4, model.Config.KvHeads);
        Assert.Equal(RopeLayout.Interleaved, model.Config.RopeLayout);
        Assert.Equal("model.embed_tokens.weight", model.TiedWeights["lm_head.weight"]);
        Assert.Equal(2 + (5 * 9), model.Parameters.Count);
    }
}
