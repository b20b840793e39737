// A character-level GPT in the shape of karpathy/nanoGPT model.py (Radford et al. 2018/2019): token + learned position
// embeddings, pre-norm blocks of causal multi-head attention and a GELU MLP, final LayerNorm, output head tied to the
// token embedding.
using Loom.Core;
using Loom.Nn;

namespace Loom.Examples.CharGpt;

/// <summary>A small decoder-only transformer over character ids, built from Loom.Nn modules.</summary>
public sealed class CharGptModel
{
    private readonly Embedding _tokens;
    private readonly LearnedPositions _positions;
    private readonly Dropout _dropout;
    private readonly (LayerNorm Norm1, MultiHeadAttention Attention, LayerNorm Norm2, Mlp Mlp)[] _blocks;
    private readonly LayerNorm _final;

    /// <summary>Creates the model with GPT-2 style initialisation N(0, 0.02) from <paramref name="weights"/>.</summary>
    public CharGptModel(Weights weights, int vocabulary, CharGptOptions options)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        var c = options.Channels;
        var init = Init.Normal(0.02f);
        _tokens = new Embedding(weights.Scope("wte"), vocabulary, c, init);
        _positions = new LearnedPositions(weights.Scope("wpe"), options.Context, c, init);
        _dropout = new Dropout(weights, options.Dropout);
        _blocks = [.. Enumerable.Range(0, options.Layers).Select(i =>
        {
            var block = weights.Scope("h").Scope(i);
            Linear Dense(string name, int input, int output) => new(block.Scope(name), input, output, weightInit: init, biasInit: Init.Zeros);
            return (new LayerNorm(block.Scope("ln_1"), c),
                new MultiHeadAttention(Dense("attn.q", c, c), Dense("attn.k", c, c), Dense("attn.v", c, c), Dense("attn.proj", c, c), options.Heads, options.Heads),
                new LayerNorm(block.Scope("ln_2"), c),
                new Mlp(Dense("mlp.fc", c, 4 * c), Dense("mlp.proj", 4 * c, c), Activation.GeluTanh));
        })];
        _final = new LayerNorm(weights.Scope("ln_f"), c);
    }

    /// <summary>The settings the model was built with.</summary>
    public CharGptOptions Options { get; }

    /// <summary>ids (B, T) with T ≤ context → logits (B, T, V).</summary>
    public Tensor Forward(IntTensor ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var x = _dropout.Forward(_tokens.Forward(ids) + _positions.Forward(ids.Shape[1])); // (B, T, C)
        foreach (var (norm1, attention, norm2, mlp) in _blocks)
        {
            x += _dropout.Forward(attention.Forward(norm1.Forward(x), causal: true)); // (B, T, C)
            x += _dropout.Forward(mlp.Forward(norm2.Forward(x))); // (B, T, C)
        }

        return _tokens.Attend(_final.Forward(x)); // (B, T, V)
    }
}
