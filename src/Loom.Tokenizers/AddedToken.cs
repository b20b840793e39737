namespace Loom.Tokenizers;

/// <summary>
/// A token matched in the raw text before the model runs (Hugging Face <c>AddedToken</c>): special tokens such as
/// [CLS], or user additions. <see cref="Normalized"/> tokens are matched in the normalized text, others in the original.
/// </summary>
public sealed record AddedToken(string Content, int Id, bool Special, bool SingleWord = false, bool LStrip = false, bool RStrip = false, bool Normalized = true);
