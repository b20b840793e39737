using Loom.Core;
using Loom.Models.Bloom;
using Loom.Models.Decoding;
using Loom.Models.Gpt2;
using Loom.Models.Llama;
using Loom.Nn;

namespace Loom.Models.Tests.Decoders;

/// <summary>
/// Shapes the HF fixtures do not cover — multi-query attention (KvH = 1), ALiBi with a head count that is not a power of
/// two, GPT-2's scale_attn_by_inverse_layer_idx — checked for internal consistency on random weights: the fused attention
/// (no probabilities) equals the composed one (with probabilities), probabilities sum to one over visible keys, and
/// token-by-token decoding through the KV cache equals the full forward pass on a left-padded batch.
/// </summary>
public sealed class RandomModelConsistencyTests
{
    public static TheoryData<string> Models => ["llama-mqa", "bloom-6-heads", "gpt2-inverse-layer-scale"];

    [Theory]
    [MemberData(nameof(Models))]
    public void FusedComposedAndCachedPathsAgree(string name)
    {
        var model = Build(name);
        int[][] ids = [[1, 17, 42, 9, 77, 5, 31], [0, 0, 1, 63, 8, 99, 12]];
        int[][] mask = [[1, 1, 1, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1, 1]];
        var positions = mask.Select(r => { var c = 0; return r.Select(m => { c += m; return m == 0 ? 1 : c - 1; }).ToArray(); }).ToArray();
        using var noGrad = Tensor.NoGrad();

        var fused = model.Forward(Ints(ids), Ints(mask), Ints(positions));
        var composed = model.Forward(Ints(ids), Ints(mask), Ints(positions), outputAttentions: true);
        AssertClose(fused.Logits, composed.Logits, 1e-5f, $"{name}: fused vs composed");
        var probabilities = composed.Attentions![0].ToArray(); // (B, H, T, T)
        var t = ids[0].Length;
        for (var row = 0; row < probabilities.Length / t; row++)
        {
            Assert.InRange(probabilities.AsSpan(row * t, t).ToArray().Sum(), 0.9999f, 1.0001f);
        }

        var cache = new DecoderCache(model.LayerCount);
        const int prefill = 4;
        var steps = new List<Tensor> { model.Forward(Ints(Columns(ids, 0, prefill)), Ints(Columns(mask, 0, prefill)), Ints(Columns(positions, 0, prefill)), cache).Logits };
        for (var i = prefill; i < t; i++)
        {
            steps.Add(model.Forward(Ints(Columns(ids, i, 1)), Ints(Columns(mask, 0, i + 1)), Ints(Columns(positions, i, 1)), cache).Logits);
        }

        var incremental = Tensor.Concat(steps, 1); // (B, T, V)
        // Row 1's first two queries are padding (fully masked rows); compare the valid positions only.
        AssertClose(fused.Logits.Narrow(0, 0, 1), incremental.Narrow(0, 0, 1), 1e-5f, $"{name}: cached vs full, row 0");
        AssertClose(fused.Logits.Narrow(0, 1, 1).Narrow(1, 2, t - 2), incremental.Narrow(0, 1, 1).Narrow(1, 2, t - 2), 1e-5f, $"{name}: cached vs full, row 1");
    }

    private static ICausalLm Build(string name)
    {
        var weights = Weights.Initialize(new Generator(11));
        weights.Training = false;
        return name switch
        {
            "llama-mqa" => new LlamaForCausalLm(weights, new LlamaConfig { VocabSize = 128, HiddenSize = 48, IntermediateSize = 96, Layers = 2, Heads = 6, KvHeadsSetting = 1 }),
            "bloom-6-heads" => new BloomForCausalLm(weights, new BloomConfig { VocabSize = 128, HiddenSize = 48, Layers = 2, Heads = 6 }),
            "gpt2-inverse-layer-scale" => new Gpt2LmHeadModel(weights, new Gpt2Config { VocabSize = 128, Positions = 16, Channels = 48, Layers = 3, Heads = 6, ScaleAttentionByInverseLayerIndex = true }),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown test model"),
        };
    }

    private static int[][] Columns(int[][] rows, int start, int length) => [.. rows.Select(r => r[start..(start + length)])];

    private static IntTensor Ints(int[][] rows) => IntTensor.FromArray([.. rows.SelectMany(r => r)], rows.Length, rows[0].Length);

    private static void AssertClose(Tensor expected, Tensor actual, float tolerance, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var e = expected.ToArray();
        var a = actual.ToArray();
        var worst = e.Zip(a, (x, y) => Math.Abs(x - y)).Max();
        Assert.True(worst <= tolerance * (1 + e.Max(Math.Abs)), $"{what}: max abs difference {worst}");
    }
}
