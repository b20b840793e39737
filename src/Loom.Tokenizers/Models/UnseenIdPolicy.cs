namespace Loom.Tokenizers.Models;

/// <summary>What an integer-id model does with a number it has no id for.</summary>
public enum UnseenIdPolicy
{
    /// <summary>Emit the unknown token.</summary>
    MapToUnknown,

    /// <summary>Throw a <see cref="TokenizerException"/> naming the number.</summary>
    Fail,

    /// <summary>Give it the next free id and remember it (the vocabulary grows).</summary>
    AddToVocabulary,
}
