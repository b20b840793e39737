using Xunit.Abstractions;

namespace Loom.Formats.Tests;

/// <summary>Counts fuzz outcomes: accepted, rejected with <see cref="ModelFormatException"/>, or anything else (a bug).</summary>
internal sealed class FuzzOutcome
{
    private readonly List<string> _unexpected = [];

    public int Accepted { get; private set; }

    public int Rejected { get; private set; }

    public int Total => Accepted + Rejected + _unexpected.Count;

    public void Run(int caseNumber, Action parseAndTouch)
    {
        try
        {
            parseAndTouch();
            Accepted++;
        }
        catch (ModelFormatException ex) when (!string.IsNullOrWhiteSpace(ex.Message))
        {
            Rejected++;
        }
#pragma warning disable CA1031 // A fuzz harness must record every other exception as a failure.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _unexpected.Add($"case {caseNumber}: {ex.GetType().Name}: {ex.Message}");
        }
    }

    public void AssertOnlyTypedOutcomes(ITestOutputHelper output, int minimumCases)
    {
        output.WriteLine($"{Total} cases: {Accepted} accepted, {Rejected} rejected with ModelFormatException, {_unexpected.Count} other");
        Assert.True(_unexpected.Count == 0, string.Join("\n", _unexpected.Take(20)));
        Assert.True(Total >= minimumCases, $"only {Total} cases ran");
        Assert.True(Accepted > 0 && Rejected > 0, $"the mutations should produce both outcomes: {Accepted} accepted, {Rejected} rejected");
    }
}
