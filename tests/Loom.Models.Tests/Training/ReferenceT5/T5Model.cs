// T5 encoder-decoder (Raffel et al. 2020) as HF T5ForConditionalGeneration: shared embedding, encoder and decoder
// stacks with relative position biases, final RMSNorms, and the LM head (tied: scaled by d_model^−1/2; untied in v1.1).
// INTERIM test-only twin of src/Loom.Models/T5: the src model attends through the fused Tensor.ScaledDotProductAttention
// (via AttentionCore.Attend), which treats its additive bias as a constant, so relative_attention_bias gets no gradient
// there. Delete this folder once the src attention falls back to the composed form when the bias requires a gradient.
using Loom.Core;
using Loom.Nn;

namespace Loom.Models.Tests.Training.ReferenceT5;

internal sealed class T5Model
{
    private readonly T5Config _config;
    private readonly Embedding _shared;
    private readonly T5Block[] _encoder;
    private readonly RmsNorm _encoderNorm;
    private readonly T5Block[] _decoder;
    private readonly RmsNorm _decoderNorm;
    private readonly Linear? _head;

    public T5Model(Weights weights, T5Config config)
    {
        _config = config;
        _shared = new Embedding(weights.Scope("shared"), config.VocabSize, config.Channels);
        _encoder = [.. Enumerable.Range(0, config.Layers).Select(i => new T5Block(weights.Scope("encoder.block").Scope(i), config, decoder: false, first: i == 0))];
        _encoderNorm = new RmsNorm(weights.Scope("encoder.final_layer_norm"), config.Channels, config.LayerNormEps);
        _decoder = [.. Enumerable.Range(0, config.DecoderLayers ?? config.Layers).Select(i => new T5Block(weights.Scope("decoder.block").Scope(i), config, decoder: true, first: i == 0))];
        _decoderNorm = new RmsNorm(weights.Scope("decoder.final_layer_norm"), config.Channels, config.LayerNormEps);
        _head = config.TieWordEmbeddings ? null : new Linear(weights.Scope("lm_head"), config.Channels, config.VocabSize, bias: false);
    }

    public Tensor Loss(TrainBatch batch)
    {
        var (b, s) = (batch.InputIds.Shape[0], batch.InputIds.Shape[1]);
        var padding = batch.AttentionMask is null ? Tensor.Zeros(b, 1, 1, s) : AttentionMasks.Padding(batch.AttentionMask); // (B, 1, 1, S)

        var x = _shared.Forward(batch.InputIds); // (B, S, C)
        var encoderBias = _encoder[0].SelfAttention.PositionBias(s, s) + padding; // (B, H, S, S)
        foreach (var block in _encoder)
        {
            x = block.Forward(x, encoderBias, null, null);
        }

        var encoded = _encoderNorm.Forward(x); // (B, S, C)
        var decoderInputs = ShiftRight(batch.Labels); // (B, T)
        var t = decoderInputs.Shape[1];
        var y = _shared.Forward(decoderInputs); // (B, T, C)
        var decoderBias = _decoder[0].SelfAttention.PositionBias(t, t) + AttentionMasks.Causal(t, t); // (1, H, T, T)
        foreach (var block in _decoder)
        {
            y = block.Forward(y, decoderBias, encoded, padding);
        }

        y = _decoderNorm.Forward(y); // (B, T, C)
        var logits = _head is null ? _shared.Attend(y * MathF.Pow(_config.Channels, -0.5f)) : _head.Forward(y); // (B, T, V)
        return Losses.CrossEntropy(logits.Reshape(b * t, _config.VocabSize), batch.Labels.Reshape(b * t)); // (B·T, V) vs (B·T)
    }

    // HF _shift_right: decoder_start_token_id first, labels moved right by one, −100 replaced by the pad id.
    private IntTensor ShiftRight(IntTensor labels)
    {
        var (b, t) = (labels.Shape[0], labels.Shape[1]);
        var source = labels.ToArray();
        var shifted = new int[b * t];
        for (var row = 0; row < b; row++)
        {
            shifted[row * t] = _config.DecoderStartTokenId;
            for (var i = 1; i < t; i++)
            {
                var label = source[(row * t) + i - 1];
                shifted[(row * t) + i] = label == -100 ? _config.PadTokenId : label;
            }
        }

        return IntTensor.FromArray(shifted, b, t);
    }
}
