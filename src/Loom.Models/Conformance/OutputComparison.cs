namespace Loom.Models.Conformance;

/// <summary>
/// The comparison of one output of one fixture case: how many elements were compared (valid positions only), the
/// largest absolute error, the largest relative error (over elements with |expected| ≥ the absolute tolerance), and
/// whether every compared element is within tolerance. <see cref="Note"/> explains a failure or a skip.
/// </summary>
public sealed record OutputComparison(
    string Case,
    string Output,
    IReadOnlyList<int> Shape,
    int Compared,
    double MaxAbsoluteError,
    double MaxRelativeError,
    bool Passed,
    bool Skipped,
    string? Note);
