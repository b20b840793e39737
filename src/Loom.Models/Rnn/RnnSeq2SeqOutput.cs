using Loom.Core;

namespace Loom.Models.Rnn;

/// <summary>Logits (B, T, V) of <see cref="RnnSeq2SeqModel"/> and the mean cross-entropy over labels that are not −100.</summary>
public sealed record RnnSeq2SeqOutput(Tensor Logits, Tensor Loss);
