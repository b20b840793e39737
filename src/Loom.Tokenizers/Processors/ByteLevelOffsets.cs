// Offset trimming of byte-level tokens (HF pre_tokenizers/byte_level.rs process_offsets): leading/trailing 'Ġ'
// (an encoded space) or whitespace is removed from a token's span, except one leading space the pre-tokenizer
// added itself on the first token.
namespace Loom.Tokenizers.Processors;

/// <summary>Trims the spaces of byte-level tokens out of their offsets.</summary>
internal static class ByteLevelOffsets
{
    private static bool IsSpace(char c) => c == '\u0120' || CharClass.IsWhitespace(c);

    public static void Trim(Encoding encoding, bool addPrefixSpace)
    {
        for (int i = 0; i < encoding.Length; i++)
        {
            string token = encoding.Tokens[i];
            var (start, end) = encoding.Offsets[i];
            int leading = 0;
            while (leading < token.Length && IsSpace(token[leading]))
            {
                leading++;
            }

            int trailing = 0;
            while (trailing < token.Length && IsSpace(token[token.Length - 1 - trailing]))
            {
                trailing++;
            }

            if (leading == 0 && trailing == 0)
            {
                continue;
            }

            if (leading > 0)
            {
                bool isFirst = i == 0 || start == 0;
                if (isFirst && addPrefixSpace && leading == 1)
                {
                    leading = 0;
                }

                start = Math.Min(start + leading, end);
            }

            if (trailing > 0 && end >= trailing)
            {
                end = Math.Max(end - trailing, start);
            }

            encoding.SetOffset(i, (start, end));
        }
    }

    public static void TrimAll(List<Encoding> encodings, bool addPrefixSpace)
    {
        foreach (var e in encodings)
        {
            Trim(e, addPrefixSpace);
            foreach (var o in e.Overflowing)
            {
                Trim(o, addPrefixSpace);
            }
        }
    }
}
