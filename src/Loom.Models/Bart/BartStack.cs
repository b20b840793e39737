// The BART encoder or decoder stack (Lewis et al. 2020; HF modeling_bart.BartEncoder / BartDecoder): shared token
// embedding × embed_scale (√d_model with scale_embedding, else 1), learned positions looked up at position + 2 (HF's
// BartLearnedPositionalEmbedding offset), layernorm_embedding, dropout (training mode only), then the post-norm layers.
// No final LayerNorm.
using Loom.Core;
using Loom.Models.Decoding;
using Loom.Models.Seq2Seq;
using Loom.Nn;

namespace Loom.Models.Bart;

/// <summary><c>model.encoder</c> or <c>model.decoder</c> of a BART checkpoint.</summary>
public sealed class BartStack : ISeq2SeqStack
{
    private const int PositionOffset = 2;
    private readonly Embedding _tokens;
    private readonly float _embedScale;
    private readonly Embedding _positions;
    private readonly LayerNorm _embeddingNorm;
    private readonly Dropout _dropout;
    private readonly Seq2SeqLayer[] _layers;

    /// <summary>Binds <c>embed_positions</c>, <c>layernorm_embedding</c> and <c>layers.i</c>; tokens come from <paramref name="shared"/>.</summary>
    public BartStack(Weights weights, BartConfig config, Embedding shared, bool decoder)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(shared);
        _tokens = shared;
        _embedScale = config.ScaleEmbedding ? MathF.Sqrt(config.DModel) : 1f;
        _positions = new Embedding(weights.Scope("embed_positions"), config.MaxPositionEmbeddings + PositionOffset, config.DModel, config.WeightInit);
        _embeddingNorm = new LayerNorm(weights.Scope("layernorm_embedding"), config.DModel);
        _dropout = new Dropout(weights, config.Dropout);
        var count = decoder ? config.DecoderLayers : config.EncoderLayers;
        _layers = [.. Enumerable.Range(0, count).Select(i => BartLayer.Create(weights.Scope("layers").Scope(i), config, i, decoder))];
    }

    /// <summary>Number of layers.</summary>
    public int LayerCount => _layers.Length;

    /// <summary>Encoder: input_ids (B, S), attention_mask (B, S) or null → <see cref="EncoderOutput"/>.</summary>
    public EncoderOutput Encode(IntTensor inputIds, IntTensor? attentionMask, bool outputAttentions, bool outputHiddenStates)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        var (b, s) = Seq2SeqInputs.CheckIds(inputIds, "input_ids");
        var mask = Seq2SeqInputs.PaddingMask(attentionMask, b, s); // (B, 1, 1, S)
        var x = Embed(inputIds, IntTensor.Arange(s).Reshape(1, s)); // (B, S, C)
        var hidden = outputHiddenStates ? new List<Tensor>(_layers.Length + 1) : null;
        var attentions = outputAttentions ? new List<Tensor>(_layers.Length) : null;
        foreach (var layer in _layers)
        {
            hidden?.Add(x);
            x = layer.Encode(x, mask, outputAttentions, out var attention); // (B, S, C)
            attentions?.Add(attention!);
        }

        hidden?.Add(x);
        return new EncoderOutput(x, hidden, attentions);
    }

    /// <summary>
    /// Decoder: ids (B, T) at the positions of <paramref name="step"/> (after the cached ones) against the encoder
    /// output (B, S, C) → the last hidden state (B, T, C) and, on request, hidden states and attentions.
    /// </summary>
    public (Tensor Last, List<Tensor>? Hidden, List<Tensor>? SelfAttentions, List<Tensor>? CrossAttentions) Decode(
        IntTensor inputIds, DecoderStep step, Tensor memory, Tensor memoryMask, Seq2SeqCache? cache, bool outputHiddenStates)
    {
        ArgumentNullException.ThrowIfNull(step);
        var x = Embed(inputIds, step.PositionIds); // (B, T, C)
        var hidden = outputHiddenStates ? new List<Tensor>(_layers.Length + 1) : null;
        var selfAttentions = step.OutputAttentions ? new List<Tensor>(_layers.Length) : null;
        var crossAttentions = step.OutputAttentions ? new List<Tensor>(_layers.Length) : null;
        foreach (var layer in _layers)
        {
            hidden?.Add(x);
            x = layer.Decode(x, step.Mask, step, memory, memoryMask, cache, out var selfAttention, out var crossAttention); // (B, T, C)
            selfAttentions?.Add(selfAttention!);
            crossAttentions?.Add(crossAttention!);
        }

        hidden?.Add(x);
        return (x, hidden, selfAttentions, crossAttentions);
    }

    private Tensor Embed(IntTensor ids, IntTensor positions)
    {
        var maxPosition = positions.ToArray().Max();
        if (maxPosition + PositionOffset >= _positions.Count)
        {
            throw new TensorShapeException($"BART: position {maxPosition} exceeds max_position_embeddings {_positions.Count - PositionOffset}.");
        }

        var offset = IntTensor.FromArray([.. positions.ToArray().Select(p => p + PositionOffset)], [.. positions.Shape]);
        var x = _tokens.Forward(ids) * _embedScale; // (B, T, C)
        return _dropout.Forward(_embeddingNorm.Forward(x + _positions.Forward(offset))); // (B, T, C)
    }
}
