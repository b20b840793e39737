using Loom.Core;

namespace Loom.Examples.SentimentBert;

/// <summary>A padded batch of encoded reviews and their labels.</summary>
/// <param name="InputIds">Token ids (B, T), right-padded.</param>
/// <param name="AttentionMask">1 for a token, 0 for padding (B, T).</param>
/// <param name="Labels">Class ids (B): 1 positive, 0 negative.</param>
public sealed record ReviewBatch(IntTensor InputIds, IntTensor AttentionMask, IntTensor Labels);
