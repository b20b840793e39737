namespace Loom.Examples.CharGpt;

/// <summary>The distinct characters of a text, each mapped to an id (sorted by code point).</summary>
public sealed class CharVocabulary
{
    private readonly char[] _chars;
    private readonly Dictionary<char, int> _ids;

    /// <summary>Builds the vocabulary of <paramref name="text"/>.</summary>
    public CharVocabulary(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _chars = [.. text.Distinct().Order()];
        _ids = _chars.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
    }

    /// <summary>Number of distinct characters.</summary>
    public int Count => _chars.Length;

    /// <summary>Ids of every character of <paramref name="text"/> (all must be in the vocabulary).</summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return [.. text.Select(c => _ids.TryGetValue(c, out var id) ? id : throw new ArgumentException($"Character U+{(int)c:X4} is not in the vocabulary.", nameof(text)))];
    }

    /// <summary>The text of <paramref name="ids"/>.</summary>
    public string Decode(IEnumerable<int> ids) => new([.. ids.Select(i => _chars[i])]);
}
