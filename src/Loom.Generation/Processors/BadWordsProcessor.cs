// HF NoBadWordsLogitsProcessor: a banned sequence's last token gets −∞ whenever the row ends with the sequence's
// other tokens (always, for a one-token sequence).
namespace Loom.Generation.Processors;

/// <summary>HF <c>bad_words_ids</c>.</summary>
public sealed class BadWordsProcessor : ILogitsProcessor
{
    private readonly int[][] _sequences;

    /// <summary>Each entry is a non-empty banned token sequence.</summary>
    public BadWordsProcessor(IEnumerable<IReadOnlyList<int>> sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        _sequences = [.. sequences.Select(s => s.ToArray())];
        if (_sequences.Any(s => s.Length == 0))
        {
            throw new ArgumentException("bad_words_ids: expected non-empty token sequences; found an empty one.", nameof(sequences));
        }
    }

    /// <inheritdoc/>
    public void Process(ReadOnlySpan<int> tokens, int promptLength, Span<float> scores)
    {
        foreach (var sequence in _sequences)
        {
            var prefix = sequence.AsSpan(0, sequence.Length - 1);
            if (tokens.EndsWith(prefix))
            {
                scores[sequence[^1]] = float.NegativeInfinity;
            }
        }
    }
}
