// The score → softmax → value product of scaled dot-product attention (Vaswani et al. 2017, eq. 1) as Hugging Face's
// "eager" attention computes it (modeling_llama.LlamaAttention, modeling_gpt2.GPT2Attention._attn,
// modeling_bloom.BloomAttention): the fused core kernel when only the output is needed, the composed form when the
// probabilities are returned too (output_attentions=True) or dropped out in training (HF's attention dropout on the
// probabilities before the value product). Grouped-query heads follow HF repeat_kv.
using Loom.Core;
using Loom.Nn;

namespace Loom.Models.Decoding;

/// <summary>softmax(scale · Q·Kᵀ + bias) · V, optionally returning the probabilities.</summary>
public static class AttentionCore
{
    /// <summary>
    /// q (B, H, T, D), k and v (B, KvH, S, D) with KvH dividing H; <paramref name="bias"/> additive, broadcastable to
    /// (B, H, T, S) (masks, ALiBi). Returns the output (B, H, T, D) and, when <paramref name="returnProbabilities"/>,
    /// the probabilities (B, H, T, S), after <paramref name="probabilityDropout"/> when it is active (as HF returns them).
    /// </summary>
    public static (Tensor Output, Tensor? Probabilities) Attend(Tensor q, Tensor k, Tensor v, Tensor bias, float scale,
        bool returnProbabilities, Dropout? probabilityDropout = null)
    {
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(k);
        ArgumentNullException.ThrowIfNull(v);
        ArgumentNullException.ThrowIfNull(bias);
        var dropping = probabilityDropout is { IsActive: true };
        if (!returnProbabilities && !dropping)
        {
            return (Tensor.ScaledDotProductAttention(q, k, v, bias, causal: false, scale), null); // (B, H, T, D)
        }

        var keys = RepeatHeads(k, q.Size(1)); // (B, H, S, D)
        var values = RepeatHeads(v, q.Size(1)); // (B, H, S, D)
        var scores = (q.Matmul(keys.Transpose(2, 3)) * scale) + bias; // (B, H, T, D)·(B, H, D, S) → (B, H, T, S)
        var probabilities = scores.Softmax(-1); // (B, H, T, S)
        if (dropping)
        {
            probabilities = probabilityDropout!.Forward(probabilities); // (B, H, T, S)
        }

        return (probabilities.Matmul(values), returnProbabilities ? probabilities : null); // (B, H, T, S)·(B, H, S, D) → (B, H, T, D)
    }

    /// <summary>HF repeat_kv: (B, KvH, S, D) → (B, H, S, D), each kv head serving H / KvH consecutive query heads.</summary>
    public static Tensor RepeatHeads(Tensor x, int heads)
    {
        ArgumentNullException.ThrowIfNull(x);
        int b = x.Size(0), kvHeads = x.Size(1), s = x.Size(2), d = x.Size(3);
        if (heads % kvHeads != 0)
        {
            throw new TensorShapeException($"RepeatHeads: expected the query head count {heads} to be a multiple of the key/value head count {kvHeads}.");
        }

        return heads == kvHeads
            ? x
            : x.Unsqueeze(2) // (B, KvH, 1, S, D)
                .Expand(b, kvHeads, heads / kvHeads, s, d) // (B, KvH, H / KvH, S, D)
                .Reshape(b, heads, s, d); // (B, H, S, D)
    }
}
