using Loom.Core;

namespace Loom.Models.Bert;

/// <summary>Span-extraction output: start and end logits (B, T), the loss when positions were given, the encoder's outputs.</summary>
public sealed record BertQaOutput(Tensor StartLogits, Tensor EndLogits, Tensor? Loss, BertOutput Encoder);
