namespace Loom.Generation;

/// <summary>A finished beam: its length-normalised score, its tokens (prompt included) and its beam index per step.</summary>
internal sealed record BeamHypothesis(double Score, int[] Tokens, int[] BeamIndices);
