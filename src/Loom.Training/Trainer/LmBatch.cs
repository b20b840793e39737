using Loom.Core;

namespace Loom.Training;

/// <summary>A causal-LM batch of token windows and their next tokens.</summary>
/// <param name="Inputs">Token ids (B, T).</param>
/// <param name="Targets">The next token of every input position (B, T).</param>
public sealed record LmBatch(IntTensor Inputs, IntTensor Targets);
