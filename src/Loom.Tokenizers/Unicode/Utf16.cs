namespace Loom.Tokenizers;

/// <summary>Code-point helpers over UTF-16 strings (an unpaired surrogate counts as one code point of its own).</summary>
internal static class Utf16
{
    /// <summary>The code point at <paramref name="i"/> and how many UTF-16 units it takes.</summary>
    public static int CodePointAt(string s, int i, out int length)
    {
        char c = s[i];
        if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
        {
            length = 2;
            return char.ConvertToUtf32(c, s[i + 1]);
        }

        length = 1;
        return c;
    }

    /// <summary>Same for a span.</summary>
    public static int CodePointAt(ReadOnlySpan<char> s, int i, out int length)
    {
        char c = s[i];
        if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
        {
            length = 2;
            return char.ConvertToUtf32(c, s[i + 1]);
        }

        length = 1;
        return c;
    }

    /// <summary>Prefix counts: element i is the number of code points in s[..i] (length s.Length + 1).</summary>
    public static int[] CodePointIndex(string s)
    {
        var index = new int[s.Length + 1];
        int n = 0;
        for (int i = 0; i < s.Length; i++)
        {
            index[i] = n;
            if (!(char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])))
            {
                n++;
            }
        }

        index[s.Length] = n;
        return index;
    }

    /// <summary>Appends a code point.</summary>
    public static void Append(System.Text.StringBuilder sb, int cp)
    {
        if (cp > 0xFFFF)
        {
            sb.Append(char.ConvertFromUtf32(cp));
        }
        else
        {
            sb.Append((char)cp);
        }
    }
}
