namespace Loom.Metrics.Cider;

/// <summary>Which CIDEr formula to apply.</summary>
public enum CiderVariant
{
    /// <summary>CIDEr-D (pycocoevalcap's <c>Cider</c>): clipped tf-idf products and a Gaussian length penalty.</summary>
    CiderD,

    /// <summary>The original CIDEr: plain tf-idf cosine similarity, no clipping, no length penalty.</summary>
    Cider,
}
