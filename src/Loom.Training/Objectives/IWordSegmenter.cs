namespace Loom.Training.Objectives;

/// <summary>
/// Groups the tokens of a sequence into words for whole-word masking: returns, for each token, whether it starts a new
/// word (true) or continues the previous token's word (false).
/// </summary>
public interface IWordSegmenter
{
    /// <summary>Word-start flags, one per token of <paramref name="tokens"/>.</summary>
    bool[] WordStarts(IReadOnlyList<string> tokens);
}
