// Chinese whole-word masking (Cui et al. 2019, "Pre-Training with Whole Word Masking for Chinese BERT"; HF
// examples/research_projects/mlm_wwm/run_chinese_ref.py): Chinese BERT splits text into single characters, so word
// boundaries come from a separate segmenter. Here: forward maximum matching against a word list (Liu & Liang 1986) over
// each run of single-character Chinese tokens; other tokens follow the WordPiece "##" rule.
namespace Loom.Training.Objectives;

/// <summary>Dictionary-based word segmentation of Chinese character tokens by forward maximum matching.</summary>
public sealed class DictionarySegmenter : IWordSegmenter
{
    private readonly HashSet<string> _words;
    private readonly int _maxWordLength;
    private readonly WordPieceSegmenter _wordPiece = new();

    /// <summary>Creates a segmenter over <paramref name="words"/> (words longer than one character matter).</summary>
    public DictionarySegmenter(IEnumerable<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        _words = new HashSet<string>(words.Where(w => w.Length > 0), StringComparer.Ordinal);
        _maxWordLength = _words.Count == 0 ? 1 : _words.Max(w => new System.Globalization.StringInfo(w).LengthInTextElements);
    }

    /// <inheritdoc/>
    public bool[] WordStarts(IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var starts = _wordPiece.WordStarts(tokens);
        var i = 0;
        while (i < tokens.Count)
        {
            if (!WordPieceSegmenter.IsChineseCharacter(tokens[i]))
            {
                i++;
                continue;
            }

            var runEnd = i;
            while (runEnd < tokens.Count && WordPieceSegmenter.IsChineseCharacter(tokens[runEnd]))
            {
                runEnd++;
            }

            while (i < runEnd)
            {
                var length = LongestMatch(tokens, i, runEnd);
                starts[i] = true;
                for (var k = i + 1; k < i + length; k++)
                {
                    starts[k] = false;
                }

                i += length;
            }
        }

        return starts;
    }

    private int LongestMatch(IReadOnlyList<string> tokens, int start, int end)
    {
        for (var length = Math.Min(_maxWordLength, end - start); length > 1; length--)
        {
            var candidate = string.Concat(Enumerable.Range(start, length).Select(k => WordPieceSegmenter.Bare(tokens[k])));
            if (_words.Contains(candidate))
            {
                return length;
            }
        }

        return 1;
    }
}
