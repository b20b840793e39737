namespace Loom.Metrics.Perplexity;

/// <summary>Perplexity with the sums it came from.</summary>
/// <param name="Perplexity"><c>exp(NegativeLogLikelihood / TokenCount)</c>.</param>
/// <param name="NegativeLogLikelihood">Sum of −log p over the scored tokens (natural log).</param>
/// <param name="TokenCount">Number of scored tokens.</param>
public readonly record struct PerplexityResult(double Perplexity, double NegativeLogLikelihood, int TokenCount);
