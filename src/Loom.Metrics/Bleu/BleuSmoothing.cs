namespace Loom.Metrics.Bleu;

/// <summary>sacrebleu smoothing methods (Chen &amp; Cherry 2014 numbering in comments).</summary>
public enum BleuSmoothing
{
    /// <summary>No smoothing.</summary>
    None,

    /// <summary>Method 1: zero-match precisions become <c>value / total</c> (default value 0.1).</summary>
    Floor,

    /// <summary>Method 2: add k (default 1) to matches and totals of orders above 1.</summary>
    AddK,

    /// <summary>Method 3, NIST/mteval geometric smoothing: 1 / (2^k · total). sacrebleu's default.</summary>
    Exp,
}
