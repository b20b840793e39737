namespace Loom.Tokenizers;

/// <summary>Target length of padding.</summary>
public enum PaddingStrategy
{
    /// <summary>Pad to the longest encoding of the batch.</summary>
    BatchLongest,

    /// <summary>Pad to a fixed length.</summary>
    Fixed,
}
