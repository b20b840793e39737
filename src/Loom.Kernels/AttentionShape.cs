namespace Loom.Kernels;

/// <summary>Sizes and options of one attention head: query/key lengths, head dims, softmax scale, causal masking.</summary>
/// <param name="QueryLength">Tq, the number of query rows.</param>
/// <param name="KeyLength">Tk, the number of key/value rows.</param>
/// <param name="HeadDim">D, the query/key width.</param>
/// <param name="ValueDim">Dv, the value width.</param>
/// <param name="Scale">Multiplier of Q·Kᵀ (usually 1/√D).</param>
/// <param name="Causal">Hide keys after each query's position.</param>
public readonly record struct AttentionShape(int QueryLength, int KeyLength, int HeadDim, int ValueDim, float Scale, bool Causal);
