// No-repeat n-gram blocking (Paulus et al. 2017, "A Deep Reinforced Model for Abstractive Summarization") as HF
// NoRepeatNGramLogitsProcessor: a token that would complete an n-gram already present in the row gets −∞.
namespace Loom.Generation.Processors;

/// <summary>HF <c>no_repeat_ngram_size</c>.</summary>
public sealed class NoRepeatNGramProcessor : ILogitsProcessor
{
    private readonly int _n;

    /// <summary>Blocks repeated n-grams of size <paramref name="n"/> ≥ 1.</summary>
    public NoRepeatNGramProcessor(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        _n = n;
    }

    /// <inheritdoc/>
    public void Process(ReadOnlySpan<int> tokens, int promptLength, Span<float> scores)
    {
        if (tokens.Length + 1 < _n)
        {
            return;
        }

        var prefix = tokens[(tokens.Length - _n + 1)..];
        for (var start = 0; start + _n <= tokens.Length; start++)
        {
            if (tokens.Slice(start, _n - 1).SequenceEqual(prefix))
            {
                scores[tokens[start + _n - 1]] = float.NegativeInfinity;
            }
        }
    }
}
