using Loom.Core;

namespace Loom.Models.Bert;

/// <summary>
/// What <see cref="BertModel"/> returns (HF BaseModelOutputWithPoolingAndCrossAttentions): the last hidden state
/// (B, T, C), the pooled [CLS] state (B, C) when the model has a pooler, and on request every hidden state (embedding
/// output then each layer: L + 1 tensors) and every layer's attention probabilities (B, H, T, T).
/// </summary>
public sealed record BertOutput(
    Tensor LastHiddenState,
    Tensor? PoolerOutput,
    IReadOnlyList<Tensor>? HiddenStates,
    IReadOnlyList<Tensor>? Attentions);
