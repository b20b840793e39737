namespace Loom.Models.Conformance;

/// <summary>The result of running one fixture folder: every output comparison and the overall verdict.</summary>
public sealed record ConformanceReport(string Directory, string Architecture, Tolerance Tolerance, IReadOnlyList<OutputComparison> Comparisons)
{
    /// <summary>True when at least one output was compared and every compared output passed.</summary>
    public bool Passed => Comparisons.Any(c => !c.Skipped) && Comparisons.All(c => c.Passed || c.Skipped);

    /// <summary>One line starting with PASS or FAIL.</summary>
    public string Summary()
    {
        var compared = Comparisons.Where(c => !c.Skipped).ToList();
        var failed = compared.Where(c => !c.Passed).Select(c => $"{c.Case}/{c.Output}").ToList();
        var tolerance = $"abs {Tolerance.Absolute:g3} + rel {Tolerance.Relative:g3}·|ref|";
        return Passed
            ? $"PASS {Path.GetFileName(Path.TrimEndingDirectorySeparator(Directory))} ({Architecture}): {compared.Count}/{compared.Count} outputs within {tolerance}"
            : $"FAIL {Path.GetFileName(Path.TrimEndingDirectorySeparator(Directory))} ({Architecture}): {failed.Count}/{compared.Count} outputs outside {tolerance}: {string.Join(", ", failed)}";
    }
}
