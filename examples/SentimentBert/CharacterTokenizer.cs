// Chinese BERT tokenises Chinese text one character per token (Devlin et al. 2019, google-research/bert
// tokenization.py _tokenize_chinese_chars). This example keeps only that rule: a vocabulary of the characters frequent
// in its own corpus, after BERT's five special tokens, with rare characters mapped to [UNK].
namespace Loom.Examples.SentimentBert;

/// <summary>A character-per-token vocabulary with BERT's special tokens.</summary>
public sealed class CharacterTokenizer
{
    /// <summary>Padding id.</summary>
    public const int PadId = 0;

    /// <summary>Unknown-character id.</summary>
    public const int UnknownId = 1;

    /// <summary>Sequence-start id.</summary>
    public const int ClsId = 2;

    /// <summary>Sequence-end id.</summary>
    public const int SepId = 3;

    /// <summary>Masked-LM mask id.</summary>
    public const int MaskId = 4;

    private const int SpecialCount = 5;
    private readonly Dictionary<string, int> _ids;

    /// <summary>Keeps the <paramref name="maxCharacters"/> most frequent characters of <paramref name="texts"/> seen at least <paramref name="minCount"/> times.</summary>
    public CharacterTokenizer(IEnumerable<string> texts, int minCount, int maxCharacters)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            foreach (var rune in text.EnumerateRunes())
            {
                if (!System.Text.Rune.IsWhiteSpace(rune))
                {
                    var key = rune.ToString();
                    counts[key] = counts.GetValueOrDefault(key) + 1;
                }
            }
        }

        var kept = counts.Where(c => c.Value >= minCount).OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Take(maxCharacters).Select(c => c.Key);
        _ids = kept.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i + SpecialCount, StringComparer.Ordinal);
    }

    /// <summary>Vocabulary size including the special tokens.</summary>
    public int VocabSize => _ids.Count + SpecialCount;

    /// <summary>The ids that masking must never choose.</summary>
    public static IReadOnlyList<int> SpecialIds => [PadId, UnknownId, ClsId, SepId, MaskId];

    /// <summary>[CLS] + the first characters of <paramref name="text"/> + [SEP], at most <paramref name="maxLength"/> ids.</summary>
    public int[] Encode(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 3);
        var ids = new List<int>(maxLength) { ClsId };
        foreach (var rune in text.EnumerateRunes())
        {
            if (ids.Count == maxLength - 1)
            {
                break;
            }

            if (!System.Text.Rune.IsWhiteSpace(rune))
            {
                ids.Add(_ids.TryGetValue(rune.ToString(), out var id) ? id : UnknownId);
            }
        }

        ids.Add(SepId);
        return [.. ids];
    }
}
