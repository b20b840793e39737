namespace Loom.Generation;

/// <summary>
/// One decoding step of a batch: the token appended to each row (the pad id for rows that had already finished),
/// which rows are finished after it, and the processed scores (B·V) the tokens were chosen from.
/// </summary>
public sealed record GenerationStep(int[] Tokens, bool[] Finished, float[] Scores);
