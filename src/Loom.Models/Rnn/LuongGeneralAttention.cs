// Luong et al. 2015 global attention, "general" score: score(h_t, h̄_s) = h_tᵀ W_a h̄_s, a_t = softmax_s(score),
// c_t = Σ_s a_t(s) h̄_s, and the attentional hidden state h̃_t = tanh(W_c [c_t; h_t]) (eq. 5).
using Loom.Core;
using Loom.Nn;

namespace Loom.Models.Rnn;

/// <summary>Luong "general" attention of decoder states over encoder outputs, with a source padding mask.</summary>
public sealed class LuongGeneralAttention
{
    private readonly Linear _score;
    private readonly Linear _combine;

    /// <summary>Binds <c>score.weight</c> W_a (H, D·H) and <c>combine.weight</c> W_c (H, D·H + H) under <paramref name="weights"/>.</summary>
    public LuongGeneralAttention(Weights weights, int encoderSize, int hiddenSize)
    {
        ArgumentNullException.ThrowIfNull(weights);
        _score = new Linear(weights.Scope("score"), encoderSize, hiddenSize, bias: false);
        _combine = new Linear(weights.Scope("combine"), encoderSize + hiddenSize, hiddenSize, bias: false);
    }

    /// <summary>
    /// Attends decoder states (B, T, H) over encoder outputs (B, S, D·H); <paramref name="padding"/> (B, 1, S) is 1
    /// at padded source steps, which get zero weight. Returns h̃ (B, T, H).
    /// </summary>
    public Tensor Forward(Tensor decoderStates, Tensor encoderOutputs, Tensor padding)
    {
        ArgumentNullException.ThrowIfNull(decoderStates);
        var keys = _score.Forward(encoderOutputs); // (B, S, H) = W_a h̄_s
        var scores = decoderStates.Matmul(keys.Transpose(1, 2)).MaskedFill(padding, AttentionMasks.Masked); // (B, T, S)
        var context = scores.Softmax(2).Matmul(encoderOutputs); // (B, T, S)·(B, S, D·H) → (B, T, D·H)
        return _combine.Forward(Tensor.Concat([context, decoderStates], 2)).Tanh(); // (B, T, D·H + H) → (B, T, H)
    }
}
