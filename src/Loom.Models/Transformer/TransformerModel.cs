// A configurable from-scratch Transformer (Vaswani et al. 2017) for training new models: encoder-only (bidirectional,
// per-token logits), decoder-only (causal, next-token loss as HF causal LMs) or encoder-decoder (decoder inputs are the
// labels shifted right as HF shift_tokens_right). The token embedding is shared by the stacks and, when tied, the head.
// Positions are embedded per row from position ids, so incremental and left-padded decoding see the same vectors.
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
    private readonly Dropout _embeddingDropout;

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
        _embeddingDropout = new Dropout(weights, config.Dropout);
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
    /// padding with 0. Labels of −100 are ignored. For incremental decoding use <see cref="TransformerCausalLm"/> or
    /// <see cref="TransformerSeq2SeqLm"/>.
    /// </summary>
    public TransformerOutput Forward(IntTensor inputIds, IntTensor? attentionMask = null, IntTensor? decoderInputIds = null, IntTensor? labels = null)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        switch (Config.Kind)
        {
            case TransformerKind.EncoderOnly:
                {
                    var logits = Logits(Encode(inputIds, attentionMask, outputAttentions: false, outputHiddenStates: false).LastHiddenState); // (B, T, V)
                    return new TransformerOutput(logits, labels is null ? null : Losses.CrossEntropy(logits, labels));
                }

            case TransformerKind.DecoderOnly:
                {
                    var output = new TransformerCausalLm(this).Forward(inputIds, attentionMask, labels: labels);
                    return new TransformerOutput(output.Logits, output.Loss);
                }

            default:
                {
                    var output = Seq2SeqLm.Forward(new TransformerSeq2SeqLm(this), inputIds, attentionMask, decoderInputIds, labels: labels);
                    return new TransformerOutput(output.Decoder.Logits, output.Loss);
                }
        }
    }

    /// <summary>The encoder stack (encoder-only and encoder-decoder), else null.</summary>
    internal TransformerStack? Encoder => _encoder;

    /// <summary>The decoder stack (decoder-only and encoder-decoder), else null.</summary>
    internal TransformerStack? Decoder => _decoder;

    /// <summary>input_ids (B, S) with attention_mask (B, S) (default all ones) at positions 0 … S − 1 through the encoder.</summary>
    internal EncoderOutput Encode(IntTensor inputIds, IntTensor? attentionMask, bool outputAttentions, bool outputHiddenStates)
    {
        var (b, s) = Seq2SeqInputs.CheckIds(inputIds, "input_ids");
        var positions = TransformerStep.Positions(b, s); // (B, S)
        var step = TransformerStep.Create(Config, Seq2SeqInputs.PaddingMask(attentionMask, b, s), positions, outputAttentions: outputAttentions);
        var output = _encoder!.Run(Embed(inputIds, positions), step, outputHiddenStates);
        return new EncoderOutput(output.Last, output.HiddenStates, output.SelfAttentions);
    }

    /// <summary>Token embeddings of ids (B, T) plus the position vectors of <paramref name="positionIds"/> (B, T), then dropout.</summary>
    internal Tensor Embed(IntTensor ids, IntTensor positionIds)
    {
        var x = Tokens.Forward(ids); // (B, T, C)
        x = Config.Positions switch
        {
            PositionKind.Learned => x + _learnedPositions!.Table.Forward(positionIds), // (B, T, C) + (B, T, C)
            PositionKind.Sinusoidal => x + SinusoidalPositions.Table(positionIds.ToArray().Max() + 1, Config.Channels).Embedding(positionIds), // (B, T, C)
            _ => x, // rotary and ALiBi act inside attention
        };
        return _embeddingDropout.Forward(x); // (B, T, C)
    }

    /// <summary>(B, T, C) → (B, T, V) through the head.</summary>
    internal Tensor Logits(Tensor hidden) => _head?.Forward(hidden) ?? Tokens.Attend(hidden); // (B, T, C) → (B, T, V)
}
