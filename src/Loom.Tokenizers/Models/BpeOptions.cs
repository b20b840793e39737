namespace Loom.Tokenizers.Models;

/// <summary>Options of the BPE model (the fields of a Hugging Face BPE model in tokenizer.json).</summary>
public sealed record BpeOptions
{
    /// <summary>BPE-dropout probability (null: deterministic).</summary>
    public double? Dropout { get; init; }

    /// <summary>Token for characters that are not in the vocabulary (null: drop them).</summary>
    public string? UnkToken { get; init; }

    /// <summary>Prefix of non-initial symbols.</summary>
    public string? ContinuingSubwordPrefix { get; init; }

    /// <summary>Suffix of the final symbol.</summary>
    public string? EndOfWordSuffix { get; init; }

    /// <summary>Fuse consecutive unknown characters into one unknown token.</summary>
    public bool FuseUnk { get; init; }

    /// <summary>Fall back to &lt;0xXX&gt; byte tokens for unknown characters.</summary>
    public bool ByteFallback { get; init; }

    /// <summary>Emit a word that is in the vocabulary as is, without merging.</summary>
    public bool IgnoreMerges { get; init; }
}
