using Loom.Core;

namespace Loom.Models.Decoding;

/// <summary>One transformer block of a decoder-only model.</summary>
public interface IDecoderBlock
{
    /// <summary>
    /// x (B, T, C) → (B, T, C), reading and extending <see cref="DecoderStep.Cache"/> at this block's layer index;
    /// <paramref name="attention"/> receives the probabilities (B, H, T, S) when the step asks for them.
    /// </summary>
    Tensor Forward(Tensor x, DecoderStep step, out Tensor? attention);
}
