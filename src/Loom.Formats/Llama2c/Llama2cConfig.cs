namespace Loom.Formats.Llama2c;

/// <summary>
/// The header of a llama2.c checkpoint (karpathy/llama2.c <c>run.c</c> <c>Config</c>): model sizes, whether the
/// classifier shares the token embedding, and which header version the file used (0 = legacy, 1 = "ak42" v1).
/// </summary>
public sealed record Llama2cConfig(
    int Dim,
    int HiddenDim,
    int LayerCount,
    int HeadCount,
    int KvHeadCount,
    int VocabSize,
    int SeqLen,
    bool SharedClassifier,
    int Version)
{
    /// <summary>Per-head width D = Dim / HeadCount.</summary>
    public int HeadSize => Dim / HeadCount;

    /// <summary>Key/value width KvH·D.</summary>
    public int KvDim => KvHeadCount * HeadSize;
}
