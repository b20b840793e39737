namespace Loom.Generation;

/// <summary>
/// One decoding step of a batch: the token appended to each row (the pad id for rows that had already finished),
/// which rows are finished after it, and the processed scores (B·V) the tokens were chosen from. <see cref="Scores"/> may
/// be a buffer the next step overwrites: copy it to keep it.
/// </summary>
public sealed record GenerationStep(int[] Tokens, bool[] Finished, float[] Scores);
