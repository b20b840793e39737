// GLM, the General Language Model of autoregressive blank infilling (Du et al. 2022, "GLM: General Language Model
// Pretraining with Autoregressive Blank Infilling", §2.1–2.3), following THUDM/GLM model/modeling_glm.py with
// block_position_encoding ("blocklm"): the token embedding plus two learned position tables, one read at the 2-D ids'
// row 0 (position in part A; a part-B token reads its span's [MASK] position) and one at row 1 (0 in part A, 1, 2, … inside
// a part-B span), with embedding dropout; pre-LN GELU Transformer blocks under a per-example prefix-LM mask (part A
// bidirectional, part B causal, padding hidden); a head tied to the token embedding. Labels are aligned with the inputs
// (GlmBlankInfillingCollator puts the target of position i at i), so the loss is the plain cross-entropy with −100
// ignored, no shift.
using Loom.Core;
using Loom.Models.Transformer;
using Loom.Nn;

namespace Loom.Models.Glm;

/// <summary>The GLM blank-infilling language model, its parameters bound under one <see cref="Weights"/> root.</summary>
public sealed class GlmModel
{
    private readonly Weights _weights;
    private readonly TransformerStack _transformer;
    private readonly Dropout _embeddingDropout;

    /// <summary>
    /// Binds <c>embed_tokens</c>, <c>embed_positions</c>, <c>embed_block_positions</c> and the blocks under
    /// <c>transformer</c> (<see cref="TransformerStack"/> names).
    /// </summary>
    public GlmModel(Weights weights, GlmConfig config)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        if (config.Heads <= 0 || config.HiddenSize % config.Heads != 0)
        {
            throw new ArgumentException($"GLM config: expected num_attention_heads dividing hidden_size; found hidden_size {config.HiddenSize}, num_attention_heads {config.Heads}.", nameof(config));
        }

        Config = config;
        _weights = weights;
        Tokens = new Embedding(weights.Scope("embed_tokens"), config.VocabSize, config.HiddenSize, Init.Normal(0.02f));
        Positions = new Embedding(weights.Scope("embed_positions"), config.MaxSequenceLength, config.HiddenSize, Init.Normal(0.02f));
        BlockPositions = new Embedding(weights.Scope("embed_block_positions"), config.MaxSequenceLength, config.HiddenSize, Init.Normal(0.02f));
        _transformer = new TransformerStack(weights.Scope("transformer"), config.ToTransformerConfig(), crossAttention: false);
        _embeddingDropout = new Dropout(weights, config.EmbeddingDropout);
    }

    /// <summary>The configuration.</summary>
    public GlmConfig Config { get; }

    /// <summary>The (V, C) token embedding, also the output head.</summary>
    public Embedding Tokens { get; }

    /// <summary>The (P, C) table read at row 0 of the position ids.</summary>
    public Embedding Positions { get; }

    /// <summary>The (P, C) table read at row 1 of the position ids.</summary>
    public Embedding BlockPositions { get; }

    /// <summary>Every trainable parameter with its name.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> Parameters => _weights.Parameters;

    /// <summary>
    /// <paramref name="inputIds"/> (B, T) with <paramref name="positionIds"/> (B, 2, T) (row 0 positions, row 1 block
    /// positions) → logits (B, T, V). Row b attends bidirectionally over its first <paramref name="prefixLengths"/>[b]
    /// tokens (part A) and causally after them (part B); <paramref name="attentionMask"/> (B, T) marks padding with 0.
    /// <paramref name="labels"/> (B, T) are scored at the same position, −100 ignored.
    /// </summary>
    public TransformerOutput Forward(IntTensor inputIds, IntTensor positionIds, IntTensor prefixLengths, IntTensor? attentionMask = null, IntTensor? labels = null)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(positionIds);
        ArgumentNullException.ThrowIfNull(prefixLengths);
        if (inputIds.Rank != 2)
        {
            throw new TensorShapeException($"GLM: expected input ids (B, T); found ({string.Join(", ", inputIds.Shape)}).");
        }

        var (b, t) = (inputIds.Shape[0], inputIds.Shape[1]);
        var (positions, blocks) = SplitPositions(positionIds, b, t); // (B, T) each
        var x = _embeddingDropout.Forward(Tokens.Forward(inputIds) + Positions.Forward(positions) + BlockPositions.Forward(blocks)); // (B, T, C)
        var mask = AttentionMasks.Prefix(prefixLengths, attentionMask ?? IntTensor.FromArray(Enumerable.Repeat(1, b * t).ToArray(), b, t)); // (B, 1, T, T)
        var hidden = _transformer.Forward(x, mask, causal: false); // (B, T, C)
        var logits = Tokens.Attend(hidden); // (B, T, C) → (B, T, V)
        return new TransformerOutput(logits, labels is null ? null : Losses.CrossEntropy(logits, labels));
    }

    // (B, 2, T) → row 0 (B, T) and row 1 (B, T).
    private static (IntTensor Positions, IntTensor Blocks) SplitPositions(IntTensor positionIds, int batch, int length)
    {
        if (positionIds.Rank != 3 || positionIds.Shape[0] != batch || positionIds.Shape[1] != 2 || positionIds.Shape[2] != length)
        {
            throw new TensorShapeException($"GLM: expected position ids (B, 2, T) = ({batch}, 2, {length}); found ({string.Join(", ", positionIds.Shape)}).");
        }

        var all = positionIds.ToArray();
        var (positions, blocks) = (new int[batch * length], new int[batch * length]);
        for (var row = 0; row < batch; row++)
        {
            all.AsSpan(row * 2 * length, length).CopyTo(positions.AsSpan(row * length));
            all.AsSpan((row * 2 * length) + length, length).CopyTo(blocks.AsSpan(row * length));
        }

        return (IntTensor.FromArray(positions, batch, length), IntTensor.FromArray(blocks, batch, length));
    }
}
