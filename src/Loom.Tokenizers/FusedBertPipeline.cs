// BertNormalizer → BertPreTokenizer → WordPiece in one pass over the input, for the usual BERT tokenizer. The general
// pipeline builds a NormalizedString with an alignment per UTF-16 unit, rewrites it once per normalizer step and
// slices it into a new string per word; here every input code point is normalized on its own and its output units
// go straight into a reused word buffer, each remembering the code point it came from. That is exact because every
// BERT step maps one input code point to units that all align to that code point (cleaning, CJK spacing, NFD,
// dropping nonspacing marks, lowercasing), and because whitespace, punctuation and CJK characters end words. The
// one step that can move units across code points is NFD's canonical reordering of non-starters; a text where a
// kept unit is a non-starter is left to the general pipeline.
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Loom.Tokenizers.Models;
using Loom.Tokenizers.Normalizers;

namespace Loom.Tokenizers;

/// <summary>The BERT pipeline without intermediate strings: normalized words go straight to WordPiece.</summary>
internal static class FusedBertPipeline
{
    /// <summary>The encoding of <paramref name="text"/> as one sequence; false when the text needs the general pipeline.</summary>
    public static bool TryEncode(string text, BertNormalizer normalizer, WordPieceModel model, int typeId, [NotNullWhen(true)] out Encoding? encoding)
    {
        var scratch = PipelineScratch.ForThread();
        var state = new WordState(scratch, model);
        encoding = null;
        if (!Tokenize(text, normalizer, state))
        {
            return false;
        }

        encoding = scratch.ToEncoding(typeId);
        return true;
    }

    private static bool Tokenize(string text, BertNormalizer normalizer, WordState state)
    {
        bool strip = normalizer.StripAccents ?? normalizer.Lowercase;
        bool lowercase = normalizer.Lowercase;
        bool cleanText = normalizer.CleanText;
        bool chinese = normalizer.HandleChineseChars;
        int codePoint = 0;
        for (int i = 0; i < text.Length; codePoint++)
        {
            char c = text[i];
            if (c < 0x80)
            {
                i++;
                if (cleanText && (c == 0 || (char.IsControl(c) && c is not ('\t' or '\n' or '\r'))))
                {
                    continue;
                }

                state.Add(lowercase && c is >= 'A' and <= 'Z' ? (char)(c + 32) : c, codePoint);
                continue;
            }

            int cp = Utf16.CodePointAt(text, i, out int length);
            i += length;
            if (cleanText)
            {
                if (cp == 0xFFFD || CharClass.IsOther(cp))
                {
                    continue;
                }

                if (CharClass.IsWhitespace(cp))
                {
                    state.EndWord();
                    continue;
                }
            }

            bool isolated = chinese && CharClass.IsCjk(cp);
            if (isolated)
            {
                state.EndWord();
            }

            if (!strip)
            {
                state.Add(lowercase ? Lower(cp) : cp, codePoint);
            }
            else if (!AddDecomposed(state, cp, codePoint, lowercase))
            {
                return false;
            }

            if (isolated)
            {
                state.EndWord();
            }
        }

        state.EndWord();
        return true;
    }

    /// <summary>NFD, nonspacing marks dropped, then lowercase; false when a kept unit is a non-starter (reordering could move it).</summary>
    private static bool AddDecomposed(WordState state, int cp, int codePoint, bool lowercase)
    {
        if (!UnicodeData.HasDecomposition(cp, compatibility: false))
        {
            return AddStripped(state, cp, codePoint, lowercase);
        }

        var parts = state.Scratch.CodePoints;
        parts.Clear();
        UnicodeData.Decompose(cp, compatibility: false, parts);
        foreach (int part in parts)
        {
            if (!AddStripped(state, part, codePoint, lowercase))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AddStripped(WordState state, int cp, int codePoint, bool lowercase)
    {
        if (CharClass.IsNonSpacingMark(cp))
        {
            return true;
        }

        if (UnicodeData.CombiningClass(cp) != 0)
        {
            return false;
        }

        state.Add(lowercase ? Lower(cp) : cp, codePoint);
        return true;
    }

    /// <summary>Lowercase as <see cref="NormalizedString.Lowercase"/>; U+0130 becomes "i̇" (two code points).</summary>
    private static int Lower(int cp) => cp switch
    {
        < 0x80 => cp is >= 'A' and <= 'Z' ? cp + 32 : cp,
        0x130 => -1,
        > 0xFFFF => Rune.ToLowerInvariant(new Rune(cp)).Value,
        _ => char.IsSurrogate((char)cp) ? cp : char.ToLowerInvariant((char)cp),
    };

    /// <summary>Builds words in the scratch buffers and hands each finished word to WordPiece.</summary>
    private readonly ref struct WordState(PipelineScratch scratch, WordPieceModel model)
    {
        public PipelineScratch Scratch { get; } = scratch;

        /// <summary>Appends a normalized code point from input code point <paramref name="codePoint"/>: whitespace ends the word, punctuation is a word of its own.</summary>
        public void Add(int cp, int codePoint)
        {
            if (cp < 0)
            {
                // U+0130 lowercased: "i" + U+0307, both word characters.
                Scratch.Append('i', codePoint);
                Scratch.Append('\u0307', codePoint);
                return;
            }

            if (CharClass.IsWhitespace(cp))
            {
                EndWord();
            }
            else if (CharClass.IsBertPunctuation(cp))
            {
                EndWord();
                Scratch.Append(cp, codePoint);
                EndWord();
            }
            else
            {
                Scratch.Append(cp, codePoint);
            }
        }

        public void EndWord()
        {
            if (Scratch.WordLength > 0)
            {
                model.Tokenize(Scratch.Word.AsSpan(0, Scratch.WordLength), Scratch.Pieces);
                Scratch.AddWordTokens();
            }
        }
    }
}
