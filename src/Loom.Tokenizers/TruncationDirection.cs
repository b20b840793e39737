namespace Loom.Tokenizers;

/// <summary>Which end of a sequence truncation (or padding) acts on.</summary>
public enum TruncationDirection
{
    /// <summary>Cut (or pad) at the end.</summary>
    Right,

    /// <summary>Cut (or pad) at the start.</summary>
    Left,
}
