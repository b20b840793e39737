namespace Loom.Metrics.Bm25;

/// <summary>The BM25 family members of rank_bm25.</summary>
public enum Bm25Variant
{
    /// <summary>Robertson et al. Okapi BM25 with idf <c>ln(N−df+0.5) − ln(df+0.5)</c>, negative idfs floored to ε·mean idf.</summary>
    Okapi,

    /// <summary>Lv &amp; Zhai BM25L: length-normalised term frequency shifted by δ.</summary>
    L,

    /// <summary>Lv &amp; Zhai BM25+: a δ lower bound on every matching term's contribution.</summary>
    Plus,
}
