// A configurable from-scratch Transformer (Vaswani et al. 2017) for training new models: encoder-only (bidirectional,
// per-token logits), decoder-only (causal, next-token loss as HF causal LMs) or encoder-decoder (decoder inputs are the
// labels shifted right as HF shift_tokens_right). The token embedding is shared by the stacks and, when tied, the head.
using Loom.Core;
using Loom.Models.Seq2Seq;
using Loom.Nn;

namespace Loom.Models.Transformer;

/// <summary>The model, its parameters bound under one <see cref="Weights"/> root.</summary>
public sealed class TransformerModel
{
    private readonly Weights _weights;
    private readonly LearnedPositions? _learnedPositions;
    private readonly TransformerStack? _encoder;
    private readonly TransformerStack? _decoder;
    private readonly Linear? _head;

    /// <summary>Binds every parameter under <paramref name="weights"/>.</summary>
    public TransformerModel(Weights weights, TransformerConfig config)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        if (config.Heads <= 0 || config.Channels % config.Heads != 0)
        {
            throw new ArgumentException($"Transformer config: expected Heads dividing Channels; found Channels {config.Channels}, Heads {config.Heads}.", nameof(config));
        }

        Config = config;
        _weights = weights;
        Tokens = new Embedding(weights.Scope("embed_tokens"), config.VocabSize, config.Channels, Init.Normal(0.02f));
        _learnedPositions = config.Positions == PositionKind.Learned
            ? new LearnedPositions(weights.Scope("embed_positions"), config.MaxPositions, config.Channels, Init.Normal(0.02f))
            : null;
        _encoder = config.Kind == TransformerKind.DecoderOnly ? null : new TransformerStack(weights.Scope("encoder"), config, crossAttention: false);
        _decoder = config.Kind == TransformerKind.EncoderOnly ? null
            : new TransformerStack(weights.Scope("decoder"), config, crossAttention: config.Kind == TransformerKind.EncoderDecoder);
        _head = config.TieEmbeddings ? null : new Linear(weights.Scope("lm_head"), config.Channels, config.VocabSize, bias: false);
    }

    /// <summary>The configuration.</summary>
    public TransformerConfig Config { get; }

    /// <summary>The (V, C) token embedding.</summary>
    public Embedding Tokens { get; }

    /// <summary>The (V, C) output projection: the token embedding's table when tied.</summary>
    public Tensor HeadWeight => _head?.Weight ?? Tokens.Weight;

    /// <summary>Every trainable parameter with its name.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> Parameters => _weights.Parameters;

    /// <summary>
    /// Encoder-only and decoder-only: <paramref name="inputIds"/> (B, T) → logits (B, T, V); labels (B, T) are scored at
    /// the same position (encoder) or the next one (decoder). Encoder-decoder: inputIds (B, S) feed the encoder;
    /// <paramref name="decoderInputIds"/> (B, T), or labels (B, T) shifted right, feed the decoder → logits (B, T, V)
    /// scored against labels at the same position. <paramref name="attentionMask"/> (B, S) marks encoder/decoder-only
    /// padding with 0. Labels of −100 are ignored.
    /// </summary>
    public TransformerOutput Forward(IntTensor inputIds, IntTensor? attentionMask = null, IntTensor? decoderInputIds = null, IntTensor? labels = null)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        var padding = attentionMask is null ? null : AttentionMasks.Padding(attentionMask); // (B, 1, 1, S)
        switch (Config.Kind)
        {
            case TransformerKind.EncoderOnly:
                {
                    var logits = Logits(_encoder!.Forward(Embed(inputIds), padding, causal: false)); // (B, T, V)
                    return new TransformerOutput(logits, labels is null ? null : Losses.CrossEntropy(logits, labels));
                }

            case TransformerKind.DecoderOnly:
                {
                    var logits = Logits(_decoder!.Forward(Embed(inputIds), padding, causal: true)); // (B, T, V)
                    return new TransformerOutput(logits, labels is null ? null : Losses.CausalLmCrossEntropy(logits, labels));
                }

            default:
                {
                    var memory = _encoder!.Forward(Embed(inputIds), padding, causal: false); // (B, S, C)
                    var decoderIds = decoderInputIds
                        ?? (labels is null
                            ? throw new ArgumentException("Encoder-decoder Forward needs decoderInputIds or labels.", nameof(decoderInputIds))
                            : Seq2SeqLm.ShiftRight(labels, Config.DecoderStartTokenId, Config.PadTokenId)); // (B, T)
                    var hidden = _decoder!.Forward(Embed(decoderIds), null, causal: true, memory, padding); // (B, T, C)
                    var logits = Logits(hidden); // (B, T, V)
                    return new TransformerOutput(logits, labels is null ? null : Losses.CrossEntropy(logits, labels));
                }
        }
    }

    private Tensor Embed(IntTensor ids)
    {
        var x = Tokens.Forward(ids); // (B, T, C)
        var length = ids.Shape[1];
        return Config.Positions switch
        {
            PositionKind.Learned => x + _learnedPositions!.Forward(length), // (B, T, C) + (T, C)
            PositionKind.Sinusoidal => x + SinusoidalPositions.Table(length, Config.Channels), // (B, T, C) + (T, C)
            _ => x, // rotary and ALiBi act inside attention
        };
    }

    private Tensor Logits(Tensor hidden) => _head?.Forward(hidden) ?? Tokens.Attend(hidden); // (B, T, C) → (B, T, V)
}
