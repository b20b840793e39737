// A T5 encoder or decoder stack (Raffel et al. 2020 §2.1; HF modeling_t5.T5Stack): shared token embedding (no scaling,
// no absolute positions), blocks sharing block 0's relative position bias (computed once per call, masks added), and a
// final RMS norm whose output is the stack's last hidden state (and the last of its hidden states). In training mode
// dropout_rate also acts on the embeddings and after the final norm (what the hidden states record, as in HF).
using Loom.Core;
using Loom.Models.Decoding;
using Loom.Models.Seq2Seq;
using Loom.Nn;

namespace Loom.Models.T5;

/// <summary><c>encoder</c> or <c>decoder</c> of a T5 checkpoint.</summary>
public sealed class T5Stack : ISeq2SeqStack
{
    private readonly Embedding _tokens;
    private readonly T5RelativePositionBias _relativeBias;
    private readonly Seq2SeqLayer[] _blocks;
    private readonly RmsNorm _finalNorm;
    private readonly Dropout _dropout;

    /// <summary>Binds <c>block.i</c> (with <c>block.0.layer.0.SelfAttention.relative_attention_bias</c>) and <c>final_layer_norm</c>.</summary>
    public T5Stack(Weights weights, T5Config config, Embedding shared, bool decoder)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(shared);
        _tokens = shared;
        var blocks = weights.Scope("block");
        _relativeBias = new T5RelativePositionBias(blocks.Scope("0.layer.0.SelfAttention.relative_attention_bias"), config, bidirectional: !decoder);
        var count = decoder ? config.DecoderLayers : config.Layers;
        _blocks = [.. Enumerable.Range(0, count).Select(i => T5Block.Create(blocks.Scope(i), config, i, decoder))];
        _finalNorm = new RmsNorm(weights.Scope("final_layer_norm"), config.DModel, config.LayerNormEpsilon);
        _dropout = new Dropout(weights, config.DropoutRate);
    }

    /// <summary>Number of blocks.</summary>
    public int LayerCount => _blocks.Length;

    /// <summary>Encoder: input_ids (B, S), attention_mask (B, S) or null → <see cref="EncoderOutput"/>.</summary>
    public EncoderOutput Encode(IntTensor inputIds, IntTensor? attentionMask, bool outputAttentions, bool outputHiddenStates)
    {
        var (b, s) = Seq2SeqInputs.CheckIds(inputIds, "input_ids");
        var bias = _relativeBias.Forward(s, s) + Seq2SeqInputs.PaddingMask(attentionMask, b, s); // (1, H, S, S) + (B, 1, 1, S)
        var x = _dropout.Forward(_tokens.Forward(inputIds)); // (B, S, C)
        var hidden = outputHiddenStates ? new List<Tensor>(_blocks.Length + 1) : null;
        var attentions = outputAttentions ? new List<Tensor>(_blocks.Length) : null;
        foreach (var block in _blocks)
        {
            hidden?.Add(x);
            x = block.Encode(x, bias, outputAttentions, out var attention); // (B, S, C)
            attentions?.Add(attention!);
        }

        x = _dropout.Forward(_finalNorm.Forward(x)); // (B, S, C)
        hidden?.Add(x);
        return new EncoderOutput(x, hidden, attentions);
    }

    /// <summary>
    /// Decoder: ids (B, T) after the <paramref name="step"/>'s cached positions, against the encoder output
    /// (B, S_enc, C) → the final-normed hidden state (B, T, C) and, on request, hidden states and attentions.
    /// </summary>
    public (Tensor Last, List<Tensor>? Hidden, List<Tensor>? SelfAttentions, List<Tensor>? CrossAttentions) Decode(
        IntTensor inputIds, DecoderStep step, Tensor memory, Tensor memoryMask, Seq2SeqCache? cache, bool outputHiddenStates)
    {
        ArgumentNullException.ThrowIfNull(step);
        var selfBias = _relativeBias.Forward(step.Length, step.KeyLength, step.PastLength) + step.Mask; // (1, H, T, S) + (B, 1, T, S)
        var x = _dropout.Forward(_tokens.Forward(inputIds)); // (B, T, C)
        var hidden = outputHiddenStates ? new List<Tensor>(_blocks.Length + 1) : null;
        var selfAttentions = step.OutputAttentions ? new List<Tensor>(_blocks.Length) : null;
        var crossAttentions = step.OutputAttentions ? new List<Tensor>(_blocks.Length) : null;
        foreach (var block in _blocks)
        {
            hidden?.Add(x);
            x = block.Decode(x, selfBias, step, memory, memoryMask, cache, out var selfAttention, out var crossAttention); // (B, T, C)
            selfAttentions?.Add(selfAttention!);
            crossAttentions?.Add(crossAttention!);
        }

        x = _dropout.Forward(_finalNorm.Forward(x)); // (B, T, C)
        hidden?.Add(x);
        return (x, hidden, selfAttentions, crossAttentions);
    }
}
