namespace Loom.Metrics.Bm25;

/// <summary>Parameters of a <see cref="Bm25Index"/>; null values take rank_bm25's defaults for the variant.</summary>
/// <param name="Variant">Okapi, L or Plus.</param>
/// <param name="K1">Term-frequency saturation (default 1.5).</param>
/// <param name="B">Length normalisation (default 0.75).</param>
/// <param name="Epsilon">Okapi only: floor for negative idfs as a fraction of the mean idf (default 0.25).</param>
/// <param name="Delta">L and Plus only: the shift δ (default 0.5 for L, 1 for Plus).</param>
/// <param name="Compatibility">Which rank_bm25 release to reproduce.</param>
public sealed record Bm25Options(
    Bm25Variant Variant = Bm25Variant.Okapi,
    double K1 = 1.5,
    double B = 0.75,
    double? Epsilon = null,
    double? Delta = null,
    Bm25Compatibility Compatibility = Bm25Compatibility.Current);
