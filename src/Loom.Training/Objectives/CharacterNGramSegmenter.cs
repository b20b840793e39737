// Dictionary-free Chinese whole-word masking: each run of single-character Chinese tokens is cut into consecutive
// character n-grams (the last may be shorter), which are then masked as units — the n-gram masking unit of
// ERNIE/MacBERT-style pretraining without a word list. Other tokens follow the WordPiece "##" rule.
namespace Loom.Training.Objectives;

/// <summary>Groups runs of Chinese character tokens into fixed n-grams.</summary>
public sealed class CharacterNGramSegmenter : IWordSegmenter
{
    private readonly int _n;
    private readonly WordPieceSegmenter _wordPiece = new();

    /// <summary>Creates a segmenter with n-grams of <paramref name="n"/> characters.</summary>
    public CharacterNGramSegmenter(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        _n = n;
    }

    /// <inheritdoc/>
    public bool[] WordStarts(IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var starts = _wordPiece.WordStarts(tokens);
        var inRun = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (!WordPieceSegmenter.IsChineseCharacter(tokens[i]))
            {
                inRun = 0;
                continue;
            }

            starts[i] = inRun % _n == 0;
            inRun++;
        }

        return starts;
    }
}
