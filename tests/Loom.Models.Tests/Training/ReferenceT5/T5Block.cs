// T5 block (HF T5Block): pre-RMSNorm self-attention, (decoder only) cross-attention, and feed-forward, each residual.
using Loom.Core;
using Loom.Nn;

namespace Loom.Models.Tests.Training.ReferenceT5;

internal sealed class T5Block
{
    private readonly RmsNorm _selfNorm;
    private readonly RmsNorm? _crossNorm;
    private readonly T5Attention? _cross;
    private readonly RmsNorm _mlpNorm;
    private readonly Mlp _mlp;

    public T5Block(Weights weights, T5Config config, bool decoder, bool first)
    {
        var c = config.Channels;
        _selfNorm = new RmsNorm(weights.Scope("layer.0.layer_norm"), c, config.LayerNormEps);
        SelfAttention = new T5Attention(weights.Scope("layer.0.SelfAttention"), config, relativeBias: first, bidirectional: !decoder);
        if (decoder)
        {
            _crossNorm = new RmsNorm(weights.Scope("layer.1.layer_norm"), c, config.LayerNormEps);
            _cross = new T5Attention(weights.Scope("layer.1.EncDecAttention"), config, relativeBias: false, bidirectional: true);
        }

        var ff = weights.Scope(decoder ? "layer.2" : "layer.1");
        _mlpNorm = new RmsNorm(ff.Scope("layer_norm"), c, config.LayerNormEps);
        var activation = Activations.FromHfName(config.DenseActivation);
        _mlp = config.IsGated
            ? new Mlp(new Linear(ff.Scope("DenseReluDense.wi_1"), c, config.Inner, bias: false), new Linear(ff.Scope("DenseReluDense.wo"), config.Inner, c, bias: false),
                activation, gate: new Linear(ff.Scope("DenseReluDense.wi_0"), c, config.Inner, bias: false))
            : new Mlp(new Linear(ff.Scope("DenseReluDense.wi"), c, config.Inner, bias: false), new Linear(ff.Scope("DenseReluDense.wo"), config.Inner, c, bias: false), activation);
    }

    public T5Attention SelfAttention { get; }

    /// <summary>(B, T, C) → (B, T, C); the cross-attention inputs are used by decoder blocks only.</summary>
    public Tensor Forward(Tensor x, Tensor selfBias, Tensor? encoded, Tensor? crossBias)
    {
        var normed = _selfNorm.Forward(x);
        x += SelfAttention.Forward(normed, normed, selfBias);
        if (_cross is not null)
        {
            x += _cross.Forward(_crossNorm!.Forward(x), encoded!, crossBias!);
        }

        return x + _mlp.Forward(_mlpNorm.Forward(x));
    }
}
