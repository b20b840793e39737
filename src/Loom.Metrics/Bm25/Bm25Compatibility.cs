namespace Loom.Metrics.Bm25;

/// <summary>Which rank_bm25 release to reproduce (they differ for BM25L and, in the last bit, BM25+).</summary>
public enum Bm25Compatibility
{
    /// <summary>GitHub HEAD (47aa3dd): BM25L without the extra query-frequency factor, BM25+ idf as <c>ln(N+1) − ln(df)</c>.</summary>
    Current,

    /// <summary>PyPI 0.2.2: BM25L multiplies by the term frequency again (documents without the term score 0), BM25+ idf <c>ln((N+1)/df)</c>.</summary>
    PyPi022,
}
