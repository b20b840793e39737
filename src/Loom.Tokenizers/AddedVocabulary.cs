// Added-token extraction as Hugging Face tokenizers (tokenizers/src/tokenizer/added_vocabulary.rs): first split
// the original text on the non-normalized added tokens, then normalize the remaining pieces and split them on the
// normalized tokens (whose patterns are their normalized content). Matching is leftmost-longest; single_word
// requires non-word characters (or the text ends) around the match, lstrip/rstrip absorb adjacent whitespace.
using System.Buffers;
using Loom.Tokenizers.Normalizers;

namespace Loom.Tokenizers;

/// <summary>The added (and special) tokens of a tokenizer and how they are found in text.</summary>
public sealed class AddedVocabulary
{
    private readonly List<AddedToken> _tokens = [];
    private readonly Dictionary<int, AddedToken> _byId = [];
    private readonly HashSet<string> _specialContents = new(StringComparer.Ordinal);
    private Dictionary<char, List<(string Pattern, AddedToken Token)>> _plain = [];
    private Dictionary<char, List<(string Pattern, AddedToken Token)>> _normalized = [];
    private Dictionary<int, string> _decodeForms = [];
    private SearchValues<char> _plainFirstChars = SearchValues.Create(string.Empty);
    private SearchValues<char> _normalizedFirstChars = SearchValues.Create(string.Empty);

    /// <summary>The added tokens.</summary>
    public IReadOnlyList<AddedToken> Tokens => _tokens;

    /// <summary>Adds tokens and rebuilds the matchers for <paramref name="normalizer"/>.</summary>
    public void Add(IEnumerable<AddedToken> tokens, INormalizer? normalizer)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        foreach (var t in tokens)
        {
            if (_byId.ContainsKey(t.Id))
            {
                _tokens.RemoveAll(x => x.Id == t.Id);
            }

            _tokens.Add(t);
            _byId[t.Id] = t;
            if (t.Special)
            {
                _specialContents.Add(t.Content);
            }
        }

        Refresh(normalizer);
    }

    /// <summary>Rebuilds the matchers (call when the normalizer changes).</summary>
    public void Refresh(INormalizer? normalizer)
    {
        var plain = new Dictionary<char, List<(string, AddedToken)>>();
        var normalized = new Dictionary<char, List<(string, AddedToken)>>();
        var decodeForms = new Dictionary<int, string>();
        foreach (var t in _tokens)
        {
            string pattern = t.Content;
            if (t.Normalized && normalizer is not null)
            {
                var ns = new NormalizedString(t.Content);
                normalizer.Normalize(ns);
                pattern = ns.Text;
            }

            decodeForms[t.Id] = pattern;
            if (pattern.Length == 0)
            {
                continue;
            }

            var target = t.Normalized ? normalized : plain;
            if (!target.TryGetValue(pattern[0], out var list))
            {
                target[pattern[0]] = list = [];
            }

            list.Add((pattern, t));
        }

        foreach (var list in plain.Values.Concat(normalized.Values))
        {
            list.Sort((a, b) => b.Item1.Length.CompareTo(a.Item1.Length));
        }

        _plain = plain;
        _plainFirstChars = SearchValues.Create(plain.Keys.ToArray());
        _normalizedFirstChars = SearchValues.Create(normalized.Keys.ToArray());
        _normalized = normalized;
        _decodeForms = decodeForms;
    }

    /// <summary>The added token with this id, if any.</summary>
    public AddedToken? ById(int id) => _byId.GetValueOrDefault(id);

    /// <summary>The id of an added token by content.</summary>
    public int? IdOf(string content) => _tokens.FirstOrDefault(t => t.Content == content)?.Id;

    /// <summary>The string decoding uses for an added token (its normalized form when it is matched normalized).</summary>
    public string? DecodeForm(int id) => _decodeForms.TryGetValue(id, out var s) ? s : null;

    /// <summary>True when <paramref name="token"/> is the content of a special token.</summary>
    public bool IsSpecial(string token) => _specialContents.Contains(token);

    /// <summary>
    /// False when no added token can be found in <paramref name="text"/>: none occurs in it, and, when there is a
    /// <paramref name="normalizer"/>, no token is matched on normalized text.
    /// </summary>
    internal bool MayMatch(string text, INormalizer? normalizer)
    {
        if (normalizer is not null && _normalized.Count > 0)
        {
            return true;
        }

        return Occurs(text, _plain, _plainFirstChars) || Occurs(text, _normalized, _normalizedFirstChars);
    }

    private static bool Occurs(string text, Dictionary<char, List<(string Pattern, AddedToken Token)>> matcher, SearchValues<char> firstChars)
    {
        var span = text.AsSpan();
        for (int i = span.IndexOfAny(firstChars); i >= 0;)
        {
            foreach (var (pattern, _) in matcher[span[i]])
            {
                if (span[i..].StartsWith(pattern, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            int next = span[(i + 1)..].IndexOfAny(firstChars);
            i = next < 0 ? -1 : i + 1 + next;
        }

        return false;
    }

    /// <summary>Splits out added tokens, normalizing the remaining pieces in between.</summary>
    public void ExtractAndNormalize(INormalizer? normalizer, PreTokenizedString text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_plain.Count > 0)
        {
            text.SplitWithTokens(s => SplitWithMatches(s, _plain, _plainFirstChars));
        }

        text.SplitWithTokens(s =>
        {
            normalizer?.Normalize(s);
            return _normalized.Count > 0 ? SplitWithMatches(s, _normalized, _normalizedFirstChars) : [new PreTokenSplit(s)];
        });
    }

    private static List<PreTokenSplit> SplitWithMatches(NormalizedString s, Dictionary<char, List<(string Pattern, AddedToken Token)>> matcher,
        SearchValues<char> firstChars)
    {
        var result = new List<PreTokenSplit>();
        string t = s.Text;
        int startOffset = 0;
        int i = 0;
        while (i < t.Length)
        {
            int next = t.AsSpan(i).IndexOfAny(firstChars);
            if (next < 0)
            {
                break;
            }

            i += next;
            var candidates = matcher[t[i]];
            AddedToken? found = null;
            int stop = 0;
            foreach (var (pattern, token) in candidates)
            {
                if (string.CompareOrdinal(t, i, pattern, 0, pattern.Length) == 0 && i + pattern.Length <= t.Length)
                {
                    found = token;
                    stop = i + pattern.Length;
                    break;
                }
            }

            if (found is null)
            {
                i++;
                continue;
            }

            int start = i;
            if (found.SingleWord)
            {
                bool startSpace = start == 0 || !EndsWithWord(t, start);
                bool stopSpace = stop == t.Length || !StartsWithWord(t, stop);
                if (!startSpace || !stopSpace)
                {
                    i = stop;
                    continue;
                }
            }

            if (found.LStrip)
            {
                int newStart = start;
                while (newStart > 0)
                {
                    int k = newStart - 1;
                    if (char.IsLowSurrogate(t[k]) && k > 0 && char.IsHighSurrogate(t[k - 1]))
                    {
                        k--;
                    }

                    if (!CharClass.IsWhitespace(Utf16.CodePointAt(t, k, out _)))
                    {
                        break;
                    }

                    newStart = k;
                }

                start = Math.Max(newStart, startOffset);
            }

            if (found.RStrip)
            {
                while (stop < t.Length && CharClass.IsWhitespace(Utf16.CodePointAt(t, stop, out int l)))
                {
                    stop += l;
                }
            }

            if (startOffset < start)
            {
                result.Add(new PreTokenSplit(s.Slice(startOffset, start)));
            }

            var slice = s.Slice(start, stop);
            result.Add(new PreTokenSplit(slice, [new Token(found.Id, slice.Text, 0, slice.Length)]));
            startOffset = stop;
            i = stop;
        }

        if (startOffset == 0 && result.Count == 0)
        {
            result.Add(new PreTokenSplit(s));
        }
        else if (startOffset < t.Length)
        {
            result.Add(new PreTokenSplit(s.Slice(startOffset, t.Length)));
        }

        return result;
    }

    private static bool EndsWithWord(string t, int end)
    {
        int k = end - 1;
        if (char.IsLowSurrogate(t[k]) && k > 0 && char.IsHighSurrogate(t[k - 1]))
        {
            k--;
        }

        return CharClass.IsWordChar(Utf16.CodePointAt(t, k, out _));
    }

    private static bool StartsWithWord(string t, int start) => CharClass.IsWordChar(Utf16.CodePointAt(t, start, out _));
}
