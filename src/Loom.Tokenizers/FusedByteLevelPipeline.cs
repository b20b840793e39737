// The byte-level pre-tokenizer (GPT-2 pattern) → BPE in one pass over the input, for tokenizers without a normalizer
// (GPT-2, RoBERTa-style). The general pipeline slices a NormalizedString per pattern match and rewrites each slice as
// byte-level characters with an alignment per unit; here each match's UTF-8 bytes go straight into a reused word
// buffer as byte-level characters, each remembering the input code point it came from, and BPE reads that buffer.
using System.Text;
using Loom.Tokenizers.Models;
using Loom.Tokenizers.PreTokenizers;

namespace Loom.Tokenizers;

/// <summary>Byte-level pre-tokenization and BPE without intermediate strings.</summary>
internal static class FusedByteLevelPipeline
{
    /// <summary>True when this pipeline gives exactly what the general one gives with these components.</summary>
    public static bool Applies(ByteLevelPreTokenizer preTokenizer) =>
        preTokenizer.UseRegex && !preTokenizer.AddPrefixSpace;

    /// <summary>The encoding of <paramref name="text"/> as one sequence (every GPT-2 pattern match is a word).</summary>
    public static Encoding Encode(string text, BpeModel model, int typeId)
    {
        var scratch = PipelineScratch.ForThread();
        Span<byte> utf8 = stackalloc byte[4];
        int codePoint = 0;
        for (int start = 0; start < text.Length;)
        {
            int end = ByteLevelPreTokenizer.Gpt2MatchEnd(text, start);
            for (int i = start; i < end; codePoint++)
            {
                int cp = Utf16.CodePointAt(text, i, out int length);
                i += length;
                if (cp < 0x80)
                {
                    scratch.Append(ByteLevelAlphabet.ByteToChar((byte)cp), codePoint);
                    continue;
                }

                // A lone surrogate is U+FFFD in UTF-8, as in NormalizedString.ToByteLevel.
                int count = new Rune(cp is >= 0xD800 and <= 0xDFFF ? 0xFFFD : cp).EncodeToUtf8(utf8);
                for (int b = 0; b < count; b++)
                {
                    scratch.Append(ByteLevelAlphabet.ByteToChar(utf8[b]), codePoint);
                }
            }

            model.Tokenize(scratch.Word.AsSpan(0, scratch.WordLength), null, scratch.Pieces, null);
            scratch.AddWordTokens();
            start = end;
        }

        return scratch.ToEncoding(typeId);
    }
}
