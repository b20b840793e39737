// SentencePiece's precompiled normalization rules ("precompiled_charsmap": a Darts double-array trie over UTF-8
// plus a pool of NUL-terminated replacements; google/sentencepiece normalizer.cc). Applied the way Hugging Face
// tokenizers does (normalizers/precompiled.rs with the spm_precompiled crate): per extended grapheme cluster when
// it is shorter than 6 UTF-8 bytes and a rule matches, otherwise per character; the first (shortest) matching
// prefix wins.
using System.Buffers.Binary;
using System.Globalization;

namespace Loom.Tokenizers.Normalizers;

/// <summary>The SentencePiece precompiled-charsmap normalizer.</summary>
public sealed class PrecompiledNormalizer : INormalizer
{
    private readonly uint[] _trie;
    private readonly byte[] _pool;

    /// <summary>Parses a charsmap blob: u32 trie size in bytes, the trie units, then the replacement pool.</summary>
    /// <exception cref="TokenizerException">The blob is truncated or inconsistent.</exception>
    public PrecompiledNormalizer(byte[] charsmap)
    {
        ArgumentNullException.ThrowIfNull(charsmap);
        Charsmap = charsmap;
        if (charsmap.Length < 4)
        {
            throw new TokenizerException($"precompiled_charsmap: expected at least 4 bytes, found {charsmap.Length}.");
        }

        uint trieSize = BinaryPrimitives.ReadUInt32LittleEndian(charsmap);
        if (trieSize % 4 != 0 || trieSize > charsmap.Length - 4)
        {
            throw new TokenizerException($"precompiled_charsmap: trie size {trieSize} does not fit a blob of {charsmap.Length} bytes.");
        }

        _trie = new uint[trieSize / 4];
        for (int i = 0; i < _trie.Length; i++)
        {
            _trie[i] = BinaryPrimitives.ReadUInt32LittleEndian(charsmap.AsSpan(4 + (4 * i)));
        }

        _pool = charsmap[(4 + (int)trieSize)..];
    }

    /// <summary>The raw blob.</summary>
    public byte[] Charsmap { get; }

    private static uint Offset(uint unit) => (unit >> 10) << (int)((unit & (1u << 9)) >> 6);

    private static uint Label(uint unit) => unit & ((1u << 31) | 0xFF);

    private static bool HasLeaf(uint unit) => ((unit >> 8) & 1) == 1;

    private static uint Value(uint unit) => unit & ((1u << 31) - 1);

    /// <summary>The replacement of the shortest rule matching a prefix of <paramref name="utf8"/>, or null.</summary>
    private string? Transform(ReadOnlySpan<byte> utf8)
    {
        if (_trie.Length == 0)
        {
            return null;
        }

        uint node = 0;
        uint unit = _trie[0];
        node ^= Offset(unit);
        foreach (byte c in utf8)
        {
            if (c == 0)
            {
                return null;
            }

            node ^= c;
            if (node >= _trie.Length)
            {
                return null;
            }

            unit = _trie[node];
            if (Label(unit) != c)
            {
                return null;
            }

            node ^= Offset(unit);
            if (HasLeaf(unit))
            {
                if (node >= _trie.Length)
                {
                    return null;
                }

                int start = (int)Value(_trie[node]);
                if (start > _pool.Length)
                {
                    return null;
                }

                int end = Array.IndexOf(_pool, (byte)0, start);
                if (end < 0)
                {
                    end = _pool.Length;
                }

                return System.Text.Encoding.UTF8.GetString(_pool, start, end - start);
            }
        }

        return null;
    }

    private static void Replace(List<(int, int)> dest, string oldPart, string newPart)
    {
        int oldCount = CountCodePoints(oldPart);
        int newCount = 0;
        foreach (var r in newPart.EnumerateRunes())
        {
            dest.Add((r.Value, 0));
            newCount++;
        }

        int diff = newCount - oldCount;
        if (diff > 0)
        {
            for (int i = dest.Count - diff; i < dest.Count; i++)
            {
                dest[i] = (dest[i].Item1, 1);
            }
        }
        else if (diff < 0 && dest.Count > 0)
        {
            dest[^1] = (dest[^1].Item1, dest[^1].Item2 + diff);
        }
    }

    private static int CountCodePoints(string s)
    {
        int n = 0;
        for (int i = 0; i < s.Length; i++)
        {
            if (!(char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])))
            {
                n++;
            }
        }

        return n;
    }

    /// <inheritdoc/>
    public void Normalize(NormalizedString text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string s = text.Text;
        var dest = new List<(int, int)>(s.Length);
        bool modified = false;
        Span<byte> utf8 = stackalloc byte[64];
        for (int i = 0; i < s.Length;)
        {
            int glen = StringInfo.GetNextTextElementLength(s, i);
            string grapheme = s.Substring(i, glen);
            i += glen;
            int byteCount = System.Text.Encoding.UTF8.GetByteCount(grapheme);
            if (byteCount < 6)
            {
                int n = System.Text.Encoding.UTF8.GetBytes(grapheme, utf8);
                if (Transform(utf8[..n]) is { } norm)
                {
                    modified = true;
                    Replace(dest, grapheme, norm);
                    continue;
                }
            }

            for (int k = 0; k < grapheme.Length;)
            {
                int l = char.IsHighSurrogate(grapheme[k]) && k + 1 < grapheme.Length && char.IsLowSurrogate(grapheme[k + 1]) ? 2 : 1;
                string part = grapheme.Substring(k, l);
                k += l;
                int n = System.Text.Encoding.UTF8.GetBytes(part, utf8);
                if (Transform(utf8[..n]) is { } norm)
                {
                    modified = true;
                    Replace(dest, part, norm);
                }
                else
                {
                    dest.Add((l == 2 ? char.ConvertToUtf32(part[0], part[1]) : part[0], 0));
                }
            }
        }

        if (modified)
        {
            text.Transform(dest);
        }
    }
}
