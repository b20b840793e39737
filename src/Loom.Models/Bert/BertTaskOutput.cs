using Loom.Core;

namespace Loom.Models.Bert;

/// <summary>
/// What a single-logits BERT head returns (masked LM (B, T, V), next-sentence (B, 2), sequence classification (B, N),
/// token classification (B, T, N), multiple choice (B, choices)): the logits, the loss when labels were given and the
/// encoder's outputs.
/// </summary>
public sealed record BertTaskOutput(Tensor Logits, Tensor? Loss, BertOutput Encoder);
