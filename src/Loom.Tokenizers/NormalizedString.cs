// A string being normalized, with the span of the original input that every UTF-16 unit came from.
// Follows the alignment rules of Hugging Face tokenizers (tokenizers/src/tokenizer/normalizer.rs,
// NormalizedString::transform_range / split / slice): a replaced character keeps the alignment of the character
// it replaces, an inserted character takes the alignment of the unit before it (or an empty span at the start of
// the piece), removed characters vanish. Alignments here are absolute UTF-16 ranges into the original input.
using System.Text;
using System.Text.RegularExpressions;

namespace Loom.Tokenizers;

/// <summary>A normalized string that remembers, per UTF-16 unit, which span of the original input it came from.</summary>
public sealed class NormalizedString
{
    private string _text;
    private (int Start, int End)[] _align;

    /// <summary>Wraps an original input string: every unit aligns to itself (a surrogate pair to the pair).</summary>
    public NormalizedString(string original)
    {
        ArgumentNullException.ThrowIfNull(original);
        _text = original;
        _align = new (int, int)[original.Length];
        if (!original.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF'))
        {
            for (int i = 0; i < original.Length; i++)
            {
                _align[i] = (i, i + 1);
            }

            return;
        }

        for (int i = 0; i < original.Length; i++)
        {
            if (char.IsHighSurrogate(original[i]) && i + 1 < original.Length && char.IsLowSurrogate(original[i + 1]))
            {
                _align[i] = (i, i + 2);
                _align[i + 1] = (i, i + 2);
                i++;
            }
            else
            {
                _align[i] = (i, i + 1);
            }
        }
    }

    private NormalizedString(string text, (int, int)[] align, int originStart)
    {
        _text = text;
        _align = align;
        OriginStart = originStart;
    }

    /// <summary>Where this piece starts in the original input (the alignment given to text inserted at its start).</summary>
    public int OriginStart { get; }

    /// <summary>The current (normalized) text.</summary>
    public string Text => _text;

    /// <summary>Length of the normalized text in UTF-16 units.</summary>
    public int Length => _text.Length;

    /// <summary>The original span (UTF-16, absolute) of normalized unit <paramref name="index"/>.</summary>
    public (int Start, int End) AlignmentAt(int index) => _align[index];

    /// <summary>Maps a normalized range to the original input (HF <c>convert_offsets</c>: first start, last end).</summary>
    public (int Start, int End) ToOriginal(int start, int end)
    {
        if (start >= end || end > _text.Length)
        {
            return (OriginStart + start, OriginStart + end);
        }

        return (_align[start].Start, _align[end - 1].End);
    }

    /// <summary>A new piece covering normalized units [start, end).</summary>
    public NormalizedString Slice(int start, int end)
    {
        var align = _align.AsSpan(start, end - start).ToArray();
        int origin = end > start ? _align[start].Start : OriginStart;
        return new NormalizedString(_text.Substring(start, end - start), align, origin);
    }

    private static void Append(StringBuilder text, List<(int, int)> align, int cp, (int, int) a)
    {
        if (cp > 0xFFFF)
        {
            text.Append(char.ConvertFromUtf32(cp));
            align.Add(a);
            align.Add(a);
        }
        else
        {
            text.Append((char)cp);
            align.Add(a);
        }
    }

    /// <summary>
    /// Rewrites the whole string from (code point, change) pairs: change 0 replaces the next original character,
    /// +1 inserts, −n replaces the next character and then removes n more. <paramref name="initialRemoved"/>
    /// characters are dropped first.
    /// </summary>
    public void Transform(IEnumerable<(int CodePoint, int Change)> dest, int initialRemoved = 0)
    {
        ArgumentNullException.ThrowIfNull(dest);
        var text = new StringBuilder(_text.Length);
        var align = new List<(int, int)>(_text.Length);
        int pos = 0;
        for (int k = 0; k < initialRemoved; k++)
        {
            Utf16.CodePointAt(_text, pos, out int l);
            pos += l;
        }

        foreach (var (cp, change) in dest)
        {
            (int, int) a;
            if (change > 0)
            {
                a = pos > 0 ? _align[pos - 1] : (OriginStart, OriginStart);
            }
            else
            {
                if (pos >= _text.Length)
                {
                    a = _text.Length > 0 ? _align[^1] : (OriginStart, OriginStart);
                }
                else
                {
                    a = _align[pos];
                    Utf16.CodePointAt(_text, pos, out int l);
                    pos += l;
                }

                for (int k = 0; k < -change && pos < _text.Length; k++)
                {
                    Utf16.CodePointAt(_text, pos, out int l);
                    pos += l;
                }
            }

            Append(text, align, cp, a);
        }

        _text = text.ToString();
        _align = [.. align];
    }

    /// <summary>Keeps only the characters for which <paramref name="keep"/> is true; kept characters keep their alignment.</summary>
    public void Filter(Func<int, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        int firstRemoved = -1;
        for (int i = 0; i < _text.Length;)
        {
            int c = Utf16.CodePointAt(_text, i, out int n);
            if (!keep(c))
            {
                firstRemoved = i;
                break;
            }

            i += n;
        }

        if (firstRemoved < 0)
        {
            return;
        }

        var text = new StringBuilder(_text.Length);
        var align = new List<(int, int)>(_text.Length);
        bool changed = false;
        for (int i = 0; i < _text.Length;)
        {
            int cp = Utf16.CodePointAt(_text, i, out int l);
            if (keep(cp))
            {
                text.Append(_text, i, l);
                for (int k = 0; k < l; k++)
                {
                    align.Add(_align[i + k]);
                }
            }
            else
            {
                changed = true;
            }

            i += l;
        }

        if (changed)
        {
            _text = text.ToString();
            _align = [.. align];
        }
    }

    /// <summary>Replaces each character by another one (same alignment).</summary>
    public void Map(Func<int, int> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var dest = new List<(int, int)>(_text.Length);
        bool changed = false;
        for (int i = 0; i < _text.Length;)
        {
            int cp = Utf16.CodePointAt(_text, i, out int l);
            int m = map(cp);
            changed |= m != cp;
            dest.Add((m, 0));
            i += l;
        }

        if (changed)
        {
            Transform(dest);
        }
    }

    /// <summary>Applies a per-character expansion: each character becomes zero or more characters.</summary>
    public void Expand(Action<int, List<int>> expand)
    {
        ArgumentNullException.ThrowIfNull(expand);
        var dest = new List<(int, int)>(_text.Length);
        var buffer = new List<int>(4);
        int initialRemoved = 0;
        bool changed = false;
        for (int i = 0; i < _text.Length;)
        {
            int cp = Utf16.CodePointAt(_text, i, out int l);
            buffer.Clear();
            expand(cp, buffer);
            changed |= buffer.Count != 1 || buffer[0] != cp;
            if (buffer.Count == 0)
            {
                if (dest.Count == 0)
                {
                    initialRemoved++;
                }
                else
                {
                    var last = dest[^1];
                    dest[^1] = (last.Item1, last.Item2 - 1);
                }
            }
            else
            {
                for (int k = 0; k < buffer.Count; k++)
                {
                    dest.Add((buffer[k], k == 0 ? 0 : 1));
                }
            }

            i += l;
        }

        if (changed)
        {
            Transform(dest, initialRemoved);
        }
    }

    /// <summary>Lowercases with the full Unicode mapping (U+0130 becomes "i̇", as Rust's <c>to_lowercase</c>).</summary>
    public void Lowercase()
    {
        if (!_text.Contains('\u0130', StringComparison.Ordinal))
        {
            // Every other code point lowercases to one code point of the same UTF-16 length: alignments are unchanged.
            _text = string.Create(_text.Length, _text, static (dest, src) =>
            {
                for (int i = 0; i < src.Length;)
                {
                    char c = src[i];
                    if (c < 0x80)
                    {
                        dest[i++] = c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
                    }
                    else if (char.IsHighSurrogate(c) && i + 1 < src.Length && char.IsLowSurrogate(src[i + 1]))
                    {
                        var lower = Rune.ToLowerInvariant(new Rune(c, src[i + 1]));
                        lower.EncodeToUtf16(dest[i..]);
                        i += 2;
                    }
                    else
                    {
                        dest[i++] = char.IsSurrogate(c) ? c : char.ToLowerInvariant(c);
                    }
                }
            });
            return;
        }

        LowercaseFull();
    }

    private void LowercaseFull() => Expand(static (cp, output) =>
    {
        if (cp == 0x130)
        {
            output.Add('i');
            output.Add(0x307);
        }
        else
        {
            output.Add(cp < 0x80 ? (cp is >= 'A' and <= 'Z' ? cp + 32 : cp) : Rune.ToLowerInvariant(new Rune(cp)).Value);
        }
    });

    /// <summary>Inserts <paramref name="prefix"/> at the start, aligned to the first character (no-op on an empty string).</summary>
    public void Prepend(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length == 0 || _text.Length == 0)
        {
            return;
        }

        var align = new (int, int)[prefix.Length + _align.Length];
        for (int i = 0; i < prefix.Length; i++)
        {
            align[i] = _align[0];
        }

        _align.CopyTo(align, prefix.Length);
        _text = prefix + _text;
        _align = align;
    }

    /// <summary>Appends <paramref name="suffix"/> (aligned to the last character).</summary>
    public void Append(string suffix)
    {
        ArgumentNullException.ThrowIfNull(suffix);
        if (suffix.Length == 0 || _text.Length == 0)
        {
            return;
        }

        var a = _align[^1];
        var align = new (int, int)[_align.Length + suffix.Length];
        _align.CopyTo(align, 0);
        for (int i = _align.Length; i < align.Length; i++)
        {
            align[i] = a;
        }

        _text += suffix;
        _align = align;
    }

    /// <summary>Rewrites every code point as the byte-level characters of its UTF-8 bytes, all aligned to that code point.</summary>
    internal void ToByteLevel()
    {
        int n = 0;
        for (int i = 0; i < _text.Length; i++)
        {
            char c = _text[i];
            n += c < 0x80 ? 1 : c < 0x800 ? 2 : char.IsHighSurrogate(c) && i + 1 < _text.Length && char.IsLowSurrogate(_text[i + 1]) ? 4 : 3;
            if (n > 0 && char.IsHighSurrogate(c) && i + 1 < _text.Length && char.IsLowSurrogate(_text[i + 1]))
            {
                i++;
            }
        }

        var chars = new char[n];
        var align = new (int, int)[n];
        Span<byte> bytes = stackalloc byte[4];
        int k = 0;
        for (int i = 0; i < _text.Length;)
        {
            int cp = Utf16.CodePointAt(_text, i, out int l);
            var a = _align[i];
            int count;
            if (cp < 0x80)
            {
                bytes[0] = (byte)cp;
                count = 1;
            }
            else if (cp is >= 0xD800 and <= 0xDFFF)
            {
                bytes[0] = 0xEF;
                bytes[1] = 0xBF;
                bytes[2] = 0xBD;
                count = 3;
            }
            else
            {
                count = new Rune(cp).EncodeToUtf8(bytes);
            }

            for (int b = 0; b < count; b++)
            {
                chars[k] = ByteLevelAlphabet.ByteToChar(bytes[b]);
                align[k++] = a;
            }

            i += l;
        }

        _text = new string(chars);
        _align = align;
    }

    /// <summary>Replaces every match by <paramref name="content"/>; the new characters align to the last matched character.</summary>
    public void Replace(Pattern pattern, string content)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(content);
        if (pattern.LiteralText is [var find] && content is [var replacement] && !char.IsSurrogate(find) && !char.IsSurrogate(replacement))
        {
            // One unit for one unit: each replacement keeps the alignment of the unit it replaces.
            _text = _text.Replace(find, replacement);
            return;
        }

        var text = new StringBuilder(_text.Length);
        var align = new List<(int, int)>(_text.Length);
        int last = 0;
        bool changed = false;
        foreach (var (start, end) in pattern.FindMatches(_text))
        {
            if (end <= start)
            {
                continue;
            }

            changed = true;
            text.Append(_text, last, start - last);
            for (int k = last; k < start; k++)
            {
                align.Add(_align[k]);
            }

            var a = _align[end - 1];
            text.Append(content);
            for (int k = 0; k < content.Length; k++)
            {
                align.Add(a);
            }

            last = end;
        }

        if (!changed)
        {
            return;
        }

        text.Append(_text, last, _text.Length - last);
        for (int k = last; k < _text.Length; k++)
        {
            align.Add(_align[k]);
        }

        _text = text.ToString();
        _align = [.. align];
    }

    /// <summary>Removes leading and/or trailing whitespace.</summary>
    public void Strip(bool left, bool right)
    {
        int start = 0, end = _text.Length;
        if (left)
        {
            while (start < end && CharClass.IsWhitespace(Utf16.CodePointAt(_text, start, out int l)))
            {
                start += l;
            }
        }

        if (right)
        {
            while (end > start)
            {
                int i = end - 1;
                if (char.IsLowSurrogate(_text[i]) && i > start && char.IsHighSurrogate(_text[i - 1]))
                {
                    i--;
                }

                if (!CharClass.IsWhitespace(Utf16.CodePointAt(_text, i, out _)))
                {
                    break;
                }

                end = i;
            }
        }

        if (start != 0 || end != _text.Length)
        {
            _align = _align.AsSpan(start, end - start).ToArray();
            _text = _text[start..end];
        }
    }

    /// <summary>Splits on the ranges a predicate over characters matches (each matching character is one delimiter).</summary>
    public List<NormalizedString> Split(Func<int, bool> isDelimiter, SplitDelimiterBehavior behavior)
    {
        ArgumentNullException.ThrowIfNull(isDelimiter);
        var matches = new List<(int, int, bool)>();
        int prev = 0;
        for (int i = 0; i < _text.Length;)
        {
            int cp = Utf16.CodePointAt(_text, i, out int l);
            if (isDelimiter(cp))
            {
                if (prev < i)
                {
                    matches.Add((prev, i, false));
                }

                matches.Add((i, i + l, true));
                prev = i + l;
            }

            i += l;
        }

        if (prev < _text.Length)
        {
            matches.Add((prev, _text.Length, false));
        }

        return SplitOn(matches, behavior);
    }

    /// <summary>Splits on the matches of a pattern.</summary>
    public List<NormalizedString> Split(Pattern pattern, SplitDelimiterBehavior behavior, bool invert = false)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var matches = new List<(int, int, bool)>();
        int prev = 0;
        foreach (var (start, end) in pattern.FindMatches(_text))
        {
            if (prev < start)
            {
                matches.Add((prev, start, invert));
            }

            matches.Add((start, end, !invert));
            prev = end;
        }

        if (prev < _text.Length)
        {
            matches.Add((prev, _text.Length, invert));
        }

        return SplitOn(matches, behavior);
    }

    /// <summary>Splits given a partition of the text into (start, end, isDelimiter) ranges.</summary>
    internal List<NormalizedString> SplitOn(List<(int Start, int End, bool IsMatch)> matches, SplitDelimiterBehavior behavior)
    {
        var pieces = new List<(int Start, int End)>(matches.Count);
        bool previousMatch = false;
        switch (behavior)
        {
            case SplitDelimiterBehavior.Removed:
                foreach (var m in matches)
                {
                    if (!m.IsMatch)
                    {
                        pieces.Add((m.Start, m.End));
                    }
                }

                break;
            case SplitDelimiterBehavior.Isolated:
                foreach (var m in matches)
                {
                    pieces.Add((m.Start, m.End));
                }

                break;
            case SplitDelimiterBehavior.MergedWithPrevious:
                foreach (var m in matches)
                {
                    if (m.IsMatch && !previousMatch && pieces.Count > 0)
                    {
                        pieces[^1] = (pieces[^1].Start, m.End);
                    }
                    else
                    {
                        pieces.Add((m.Start, m.End));
                    }

                    previousMatch = m.IsMatch;
                }

                break;
            case SplitDelimiterBehavior.MergedWithNext:
                for (int i = matches.Count - 1; i >= 0; i--)
                {
                    var m = matches[i];
                    if (m.IsMatch && !previousMatch && pieces.Count > 0)
                    {
                        pieces[^1] = (m.Start, pieces[^1].End);
                    }
                    else
                    {
                        pieces.Add((m.Start, m.End));
                    }

                    previousMatch = m.IsMatch;
                }

                pieces.Reverse();
                break;
            case SplitDelimiterBehavior.Contiguous:
                foreach (var m in matches)
                {
                    if (m.IsMatch == previousMatch && pieces.Count > 0)
                    {
                        pieces[^1] = (pieces[^1].Start, m.End);
                    }
                    else
                    {
                        pieces.Add((m.Start, m.End));
                    }

                    previousMatch = m.IsMatch;
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(behavior), behavior, "Unknown split behavior.");
        }

        var result = new List<NormalizedString>(pieces.Count);
        foreach (var (s, e) in pieces)
        {
            result.Add(Slice(s, e));
        }

        return result;
    }
}
