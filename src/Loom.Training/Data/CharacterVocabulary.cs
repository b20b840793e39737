// Character-level vocabulary as in nanoGPT data/shakespeare_char/prepare.py: the distinct characters of a text sorted by
// code point, id = rank. Characters are Unicode scalar values (a CJK character outside the BMP is one id).
using System.Text;

namespace Loom.Training.Data;

/// <summary>Maps the characters of a corpus to dense ids and back.</summary>
public sealed class CharacterVocabulary
{
    private readonly Rune[] _characters;
    private readonly Dictionary<Rune, int> _ids;

    private CharacterVocabulary(Rune[] characters)
    {
        _characters = characters;
        _ids = new Dictionary<Rune, int>(characters.Length);
        for (var i = 0; i < characters.Length; i++)
        {
            _ids[characters[i]] = i;
        }
    }

    /// <summary>Number of distinct characters.</summary>
    public int Count => _characters.Length;

    /// <summary>The characters in id order.</summary>
    public IReadOnlyList<Rune> Characters => _characters;

    /// <summary>The vocabulary of <paramref name="text"/>: its distinct characters in code-point order.</summary>
    public static CharacterVocabulary FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var distinct = new SortedSet<Rune>();
        foreach (var rune in text.EnumerateRunes())
        {
            distinct.Add(rune);
        }

        return new CharacterVocabulary([.. distinct]);
    }

    /// <summary>Rebuilds a vocabulary from its characters in id order (e.g. from a saved list).</summary>
    public static CharacterVocabulary FromCharacters(IEnumerable<Rune> characters)
    {
        ArgumentNullException.ThrowIfNull(characters);
        var list = characters.ToArray();
        if (list.Distinct().Count() != list.Length)
        {
            throw new ArgumentException("Character vocabulary: expected distinct characters; found a repeated one.", nameof(characters));
        }

        return new CharacterVocabulary(list);
    }

    /// <summary>The ids of the characters of <paramref name="text"/>; a character outside the vocabulary throws.</summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length);
        var offset = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (!_ids.TryGetValue(rune, out var id))
            {
                throw new DataFormatException($"Character vocabulary: expected characters of the vocabulary ({Count} characters); found U+{rune.Value:X4} at UTF-16 offset {offset}.");
            }

            ids.Add(id);
            offset += rune.Utf16SequenceLength;
        }

        return ids.ToArray();
    }

    /// <summary>The text of <paramref name="ids"/>; an id outside [0, Count) throws.</summary>
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var builder = new StringBuilder();
        foreach (var id in ids)
        {
            if ((uint)id >= (uint)_characters.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), $"Character vocabulary: expected ids in [0, {Count}); found {id}.");
            }

            builder.Append(_characters[id].ToString());
        }

        return builder.ToString();
    }
}
