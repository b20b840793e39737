namespace Loom.Metrics.Perplexity;

/// <summary>
/// A language model seen through one window: given the window's token ids, returns for every position
/// <c>t = 1 .. L−1</c> the natural-log probability of <c>inputIds[t]</c> given <c>inputIds[0..t)</c> (an array of
/// length <c>L − 1</c>). <paramref name="targets"/> marks the positions that will be scored (context positions hold
/// <see cref="SlidingWindowPerplexity.IgnoreIndex"/>, as Hugging Face labels do), so a model may skip the others.
/// </summary>
public delegate double[] WindowLogProbabilities(int[] inputIds, int[] targets);
