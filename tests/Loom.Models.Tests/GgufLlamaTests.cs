using Loom.Core;
using Loom.Formats.Gguf;
using Loom.Models.Auto;
using Loom.Models.Llama;

namespace Loom.Models.Tests;

/// <summary>
/// LLaMA ↔ GGUF: stories260K (llama2.c, interleaved RoPE, GQA 8/4, tied head) exported to GGUF and loaded back gives
/// the llama2.c model's logits (bit-identical for F32, close for Q8_0 / Q4_0); an HF-layout LLaMA (rotate_half) gets its q/k
/// rows permuted as llama.cpp's convert_hf_to_gguf.py does; malformed files fail naming the tensor.
/// </summary>
public sealed class GgufLlamaTests
{
    private static readonly IntTensor Ids = IntTensor.FromArray([1, 403, 407, 261, 378, 425, 267, 9, 271, 350, 290, 501], 1, 12);

    private static LlamaForCausalLm Stories() => Llama2cLoader.Load(FixturePaths.Data("formats", "llama2c", "stories260K.bin"));

    [Theory]
    [InlineData(3u)]
    [InlineData(2u)]
    public void Float32RoundTripGivesBitIdenticalLogits(uint version)
    {
        var original = Stories();
        var path = Path.Combine(FixturePaths.TempFolder($"gguf-f32-v{version}"), "stories260K.gguf");
        GgufLlamaExport.Save(original, path);
        if (version == 2)
        {
            Rewrite(path, path, version: 2);
        }

        var reloaded = GgufLlamaLoader.Load(path);

        using (var file = GgufFile.Open(path))
        {
            Assert.Equal(version, file.Version);
            Assert.False(file.TryGetTensor("output.weight", out _)); // tied head left out, as llama.cpp does
            Assert.Equal(2 + (5 * 9), file.Tensors.Count);
        }

        Assert.Equal(original.Config.KvHeads, reloaded.Config.KvHeads);
        Assert.True(reloaded.Config.TieWordEmbeddings);
        using var noGrad = Tensor.NoGrad();
        Assert.Equal(original.Forward(Ids).Logits.ToArray(), reloaded.Forward(Ids).Logits.ToArray());
    }

    [Theory]
    [InlineData(GgmlType.Q8_0, 0.5f, 12)] // measured max |Δlogit| 0.42 (|logits| up to 18.9), greedy token equal at 12/12 positions
    [InlineData(GgmlType.Q4_0, 6f, 9)] // measured 5.24, 9/12 (4 bits on a 64-wide model)
    public void QuantisedRoundTripGivesCloseLogits(GgmlType type, float maxLogitError, int minSameGreedy)
    {
        var original = Stories();
        var path = Path.Combine(FixturePaths.TempFolder($"gguf-{type}"), $"stories260K-{type}.gguf");
        GgufLlamaExport.Save(original, path, type);
        using (var file = GgufFile.Open(path))
        {
            Assert.Equal(type, file.GetTensor("blk.0.attn_q.weight").Type);
            Assert.Equal(type, file.GetTensor("token_embd.weight").Type);
            Assert.Equal(GgmlType.F32, file.GetTensor("blk.0.ffn_down.weight").Type); // rows of 172 are not whole blocks of 32
            Assert.Equal(GgmlType.F32, file.GetTensor("output_norm.weight").Type);
        }

        // Dequantised on load: the same model as the llama2.c one with every quantised matrix rounded through its blocks.
        var rounded = Stories();
        foreach (var (_, tensor) in rounded.Parameters.Where(p => p.Value.Shape.Count == 2 && p.Value.Shape[1] % 32 == 0))
        {
            RoundThroughBlocks(tensor.AsSpan(), type);
        }

        var dequantized = GgufLlamaLoader.Load(path, dequantize: true);
        var reloaded = GgufLlamaLoader.Load(path);
        Assert.Empty(dequantized.QuantizedParameters);
        Assert.Equal(1 + (4 * 5) + (2 * 5), reloaded.QuantizedParameters.Count); // token_embd, q/k/v/o, gate/up per layer
        Assert.All(reloaded.QuantizedParameters, p => Assert.Equal(type, p.Value.GgmlType));
        using var noGrad = Tensor.NoGrad();
        var expected = original.Forward(Ids).Logits.ToArray();
        var reference = rounded.Forward(Ids).Logits.ToArray();
        Assert.Equal(reference, dequantized.Forward(Ids).Logits.ToArray());

        // Kept quantised, whole prompt: the panel path dequantises into the same float32 GEMM, so the logits are identical.
        var actual = reloaded.Forward(Ids).Logits.ToArray();
        Assert.Equal(reference, actual);

        // Kept quantised, one token at a time with a KV cache: the streaming (GEMV) kernel dequantises each weight exactly
        // in registers and sums in the order of the float32 one-row GEMM, so the decode logits are identical too.
        Assert.Equal(Stepwise(rounded), Stepwise(reloaded));

        var maxError = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        var v = original.VocabSize;
        var agree = Enumerable.Range(0, expected.Length / v).Count(t => ArgMax(expected, t * v, v) == ArgMax(actual, t * v, v));
        Assert.InRange(maxError, 1e-3f, maxLogitError);
        Assert.InRange(agree, minSameGreedy, expected.Length / v);
    }

    [Theory]
    [InlineData(GgmlType.Q8_0, 0.35f, 0.08f, 12)] // measured max |Δlogit| 0.242, mean 0.053, greedy equal 12/12
    [InlineData(GgmlType.Q4_0, 0.35f, 0.08f, 12)] // measured 0.224, mean 0.046, 12/12
    public void Int8ActivationsStayCloseToTheDequantisedModel(GgmlType type, float maxLogitError, float maxMeanError, int minSameGreedy)
    {
        // The same quantised file decoded token by token with float32 activations (the dequantised model's logits, see
        // above) and with int8 activations (llama.cpp's integer dot products): only the activation rounding differs.
        var path = Path.Combine(FixturePaths.TempFolder($"gguf-int8-{type}"), $"stories260K-{type}.gguf");
        GgufLlamaExport.Save(Stories(), path, type);
        var model = GgufLlamaLoader.Load(path);
        using var noGrad = Tensor.NoGrad();
        var exact = Stepwise(model);
        model.QuantizedActivations = Kernels.QuantizedActivations.Int8;
        Assert.All(model.QuantizedParameters, p => Assert.Equal(Kernels.QuantizedActivations.Int8, p.Value.Activations));
        var integer = Stepwise(model);
        model.QuantizedActivations = Kernels.QuantizedActivations.Float32;
        Assert.Equal(exact, Stepwise(model));

        var errors = exact.Zip(integer, (e, a) => Math.Abs(e - a)).ToArray();
        var v = model.VocabSize;
        var agree = Enumerable.Range(0, exact.Length / v).Count(t => ArgMax(exact, t * v, v) == ArgMax(integer, t * v, v));
        Assert.True(errors.Max() is > 1e-4f && errors.Max() <= maxLogitError && errors.Average() <= maxMeanError && agree >= minSameGreedy,
            $"{type}: max |Δlogit| {errors.Max():G3} (limit {maxLogitError}), mean {errors.Average():G3} (limit {maxMeanError}), greedy equal at {agree}/{exact.Length / v} (at least {minSameGreedy})");
    }

    /// <summary>The logits of <see cref="Ids"/> fed one token per forward pass through a KV cache (batch 1: the decode path).</summary>
    private static float[] Stepwise(LlamaForCausalLm model)
    {
        var cache = new Decoding.DecoderCache(model.LayerCount);
        var logits = new List<float>();
        for (var t = 0; t < Ids.Shape[1]; t++)
        {
            logits.AddRange(model.Forward(IntTensor.FromArray([Ids[0, t]], 1, 1), cache: cache).Logits.ToArray());
        }

        return [.. logits];
    }

    private static void RoundThroughBlocks(Span<float> values, GgmlType type)
    {
        if (type == GgmlType.Q8_0)
        {
            var blocks = new BlockQ8_0[values.Length / 32];
            GgmlQuantization.QuantizeQ8_0(values, blocks);
            GgmlQuantization.DequantizeQ8_0(blocks, values);
        }
        else
        {
            var blocks = new BlockQ4_0[values.Length / 32];
            GgmlQuantization.QuantizeQ4_0(values, blocks);
            GgmlQuantization.DequantizeQ4_0(blocks, values);
        }
    }

    private static int ArgMax(float[] values, int start, int length)
    {
        var best = start;
        for (var i = start; i < start + length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best - start;
    }

    [Fact]
    public void AutoModelLoadsAGgufFileKeepingItsQuantisedMatrices()
    {
        var path = Path.Combine(FixturePaths.TempFolder("gguf-auto"), "stories260K-Q4_0.gguf");
        GgufLlamaExport.Save(Stories(), path, GgmlType.Q4_0);
        Assert.True(AutoModel.IsGgufFile(path));
        Assert.False(AutoModel.IsGgufFile(FixturePaths.Data("formats", "llama2c", "stories260K.bin")));
        var model = Assert.IsType<LlamaForCausalLm>(AutoModel.LoadCausalLm(path));
        Assert.Equal(31, model.QuantizedParameters.Count);
        Assert.Equal(18L * 64 / 32 * 512, model.QuantizedParameters.Single(p => p.Key == "model.embed_tokens.weight").Value.Data.Length); // 18 bytes per 32 weights

        // Exported again as Q4_0, the kept blocks are copied unchanged: the file reloads to the same logits.
        var again = Path.Combine(FixturePaths.TempFolder("gguf-auto"), "again-Q4_0.gguf");
        GgufLlamaExport.Save(model, again, GgmlType.Q4_0);
        using var noGrad = Tensor.NoGrad();
        Assert.Equal(model.Forward(Ids).Logits.ToArray(), GgufLlamaLoader.Load(again).Forward(Ids).Logits.ToArray());
    }

    [Fact]
    public void HfLayoutModelIsPermutedToLlamaCppRotaryLayout()
    {
        var original = LlamaForCausalLm.Load(FixturePaths.Hf("llama"));
        var path = Path.Combine(FixturePaths.TempFolder("gguf-hf"), "llama.gguf");
        GgufLlamaExport.Save(original, path);
        var reloaded = GgufLlamaLoader.Load(path);
        var ids = IntTensor.FromArray([.. Enumerable.Range(3, 10)], 1, 10);

        using var noGrad = Tensor.NoGrad();
        var expected = original.Forward(ids).Logits.ToArray();
        var actual = reloaded.Forward(ids).Logits.ToArray();

        Assert.Equal(RopeLayout.HalfRotation, original.Config.RopeLayout);
        Assert.Equal(RopeLayout.Interleaved, reloaded.Config.RopeLayout);
        Assert.All(expected.Zip(actual), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-5f + (1e-5f * Math.Abs(p.First)), $"{p.First} vs {p.Second}"));
    }

    [Fact]
    public void MissingTensorIsNamed()
    {
        var path = BadCopy("missing", skip: "blk.3.ffn_up.weight");
        var error = Assert.Throws<ModelLoadException>(() => GgufLlamaLoader.Load(path));
        Assert.Contains("'blk.3.ffn_up.weight'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongShapeIsNamedWithExpectedAndFound()
    {
        var path = BadCopy("shape", replace: ("blk.1.attn_k.weight", GgmlType.F32, [64, 32]));
        var error = Assert.Throws<ModelLoadException>(() => GgufLlamaLoader.Load(path));
        Assert.Contains("'blk.1.attn_k.weight'", error.Message, StringComparison.Ordinal);
        Assert.Contains("expected shape [32, 64]; found [64, 32]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsupportedQuantisationTypeIsNamed()
    {
        var path = BadCopy("type", replace: ("blk.2.attn_v.weight", GgmlType.Q4_1, [32, 64]));
        var error = Assert.Throws<ModelLoadException>(() => GgufLlamaLoader.Load(path));
        Assert.Contains("'blk.2.attn_v.weight'", error.Message, StringComparison.Ordinal);
        Assert.Contains("found Q4_1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherArchitectureIsRejected()
    {
        var path = BadCopy("arch", architecture: "gpt2");
        var error = Assert.Throws<ModelLoadException>(() => GgufLlamaLoader.Load(path));
        Assert.Contains("found 'gpt2'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingHyperParameterIsNamed()
    {
        var path = BadCopy("key", architecture: "llama", dropKey: "llama.attention.head_count");
        var error = Assert.Throws<ModelLoadException>(() => GgufLlamaLoader.Load(path));
        Assert.Contains("'llama.attention.head_count'", error.Message, StringComparison.Ordinal);
    }

    private static string BadCopy(string name, string? skip = null, (string Name, GgmlType Type, long[] Shape)? replace = null, string? architecture = null, string? dropKey = null)
    {
        var dir = FixturePaths.TempFolder($"gguf-bad-{name}");
        var good = Path.Combine(dir, "good.gguf");
        var bad = Path.Combine(dir, "bad.gguf");
        GgufLlamaExport.Save(Stories(), good);
        Rewrite(good, bad, 3, skip, replace, architecture, dropKey);
        return bad;
    }

    /// <summary>Copies a GGUF file, optionally as another version, without one tensor or key, with one tensor replaced by zeros, or with another architecture.</summary>
    private static void Rewrite(string source, string target, uint version, string? skip = null, (string Name, GgmlType Type, long[] Shape)? replace = null, string? architecture = null, string? dropKey = null)
    {
        var writer = new GgufWriter(version);
        using (var file = GgufFile.Open(source))
        {
            foreach (var (key, value) in file.Metadata.Where(p => p.Key != dropKey))
            {
                writer.AddMetadata(key, key == "general.architecture" && architecture is not null ? GgufValue.FromString(architecture) : value);
            }

            foreach (var tensor in file.Tensors.Where(t => t.Name != skip))
            {
                if (replace is { } r && r.Name == tensor.Name)
                {
                    var bytes = r.Shape.Aggregate(1L, (a, d) => a * d) / r.Type.BlockSize() * r.Type.BlockBytes();
                    writer.AddTensor(tensor.Name, r.Type, r.Shape, new byte[bytes]);
                }
                else
                {
                    writer.AddTensor(tensor.Name, tensor.Type, tensor.Shape, file.GetBytes(tensor).ToArray());
                }
            }
        }

        writer.Save(target);
    }
}
