// What every block of one Transformer stack needs for one forward call, built once per call: the additive self-attention
// bias (padding / causal / prefix mask plus, for ALiBi, Press et al. 2022's distance bias over the cached and new keys),
// the absolute positions of the new tokens (rotary), the caches (HF DynamicCache for self-attention, EncoderDecoderCache
// for cross-attention) and the encoder output with its padding mask.
using Loom.Core;
using Loom.Models.Decoding;
using Loom.Models.Seq2Seq;

namespace Loom.Models.Transformer;

/// <summary>The per-call context shared by the blocks of a <see cref="TransformerStack"/>.</summary>
public sealed class TransformerStep
{
    private TransformerStep(Tensor selfBias, IntTensor positionIds, DecoderCache? selfCache, Tensor? memory, Tensor? memoryBias,
        Seq2SeqCache? crossCache, bool outputAttentions)
    {
        (SelfBias, PositionIds, SelfCache, Memory, MemoryBias, CrossCache, OutputAttentions) =
            (selfBias, positionIds, selfCache, memory, memoryBias, crossCache, outputAttentions);
    }

    /// <summary>Additive self-attention bias broadcastable to (B, H, T, S), S counting cached and new keys.</summary>
    public Tensor SelfBias { get; }

    /// <summary>(B, T) absolute positions of the new tokens.</summary>
    public IntTensor PositionIds { get; }

    /// <summary>Self-attention keys/values to read and extend, or null.</summary>
    public DecoderCache? SelfCache { get; }

    /// <summary>The encoder output (B, S_enc, C) for cross-attention, or null in a stack without it.</summary>
    public Tensor? Memory { get; }

    /// <summary>Additive cross-attention bias broadcastable to (B, H, T, S_enc).</summary>
    public Tensor? MemoryBias { get; }

    /// <summary>Cross-attention keys/values projected once from <see cref="Memory"/>, or null.</summary>
    public Seq2SeqCache? CrossCache { get; }

    /// <summary>Whether blocks return their attention probabilities.</summary>
    public bool OutputAttentions { get; }

    /// <summary>
    /// Builds the context. <paramref name="mask"/> is the additive self-attention mask broadcastable to (B, 1, T, S)
    /// (<see cref="DecoderStep.Mask"/>, a padding or prefix mask); <paramref name="positionIds"/> (B, T); ALiBi adds its
    /// bias for queries at the last T of S positions. <paramref name="memoryMask"/> defaults to no masking.
    /// </summary>
    public static TransformerStep Create(TransformerConfig config, Tensor mask, IntTensor positionIds, DecoderCache? selfCache = null,
        Tensor? memory = null, Tensor? memoryMask = null, Seq2SeqCache? crossCache = null, bool outputAttentions = false)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(positionIds);
        var selfBias = config.Positions == PositionKind.Alibi
            ? AttentionMasks.Alibi(AttentionMasks.AlibiSlopes(config.Heads), positionIds.Shape[1], mask.Size(-1)) + mask // (1, H, T, S) + (B, 1, T, S)
            : mask;
        var memoryBias = memory is null ? null : memoryMask ?? Tensor.Zeros(1, 1, 1, memory.Size(1)); // (B, 1, 1, S_enc)
        return new TransformerStep(selfBias, positionIds, selfCache, memory, memoryBias, crossCache, outputAttentions);
    }

    /// <summary>(B, T) positions start … start + T − 1 in every row.</summary>
    public static IntTensor Positions(int batch, int length, int start = 0) =>
        IntTensor.FromArray([.. Enumerable.Range(0, batch * length).Select(i => start + (i % length))], batch, length);
}
