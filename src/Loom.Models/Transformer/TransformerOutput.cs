using Loom.Core;

namespace Loom.Models.Transformer;

/// <summary>Logits (B, T, V) and, when labels were given, the scalar mean cross-entropy.</summary>
public sealed record TransformerOutput(Tensor Logits, Tensor? Loss);
