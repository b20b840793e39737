// The tokenizer of karpathy/llama2.c (run.c: build_tokenizer / encode / decode; file written by tokenizer.py):
// tokenizer.bin = int32 max_token_length, then per token {float32 score, int32 byte length, UTF-8 bytes}, pieces
// with '▁' already turned into ' '. Encoding: optional BOS, a dummy-prefix " " for non-empty text, one token per
// code point (unknown code points fall back to byte tokens <0xXX> = byte + 3), then repeatedly merge the adjacent
// pair whose concatenation has the highest score (leftmost on ties). Decoding strips the leading space of a piece
// that follows BOS and turns <0xXX> pieces into raw bytes. ToTokenizer gives the same vocabulary as a pipeline
// Tokenizer (SentencePiece-style BPE, as transformers' LlamaConverter builds it).
using System.Buffers.Binary;

namespace Loom.Tokenizers.Formats;

/// <summary>A llama2.c tokenizer.bin vocabulary with llama2.c's encode and decode.</summary>
public sealed class Llama2CTokenizer
{
    /// <summary>Id of the beginning-of-sequence token.</summary>
    public const int Bos = 1;

    /// <summary>Id of the end-of-sequence token.</summary>
    public const int Eos = 2;

    private readonly byte[][] _pieces;
    private readonly float[] _scores;
    private readonly Dictionary<string, int> _lookup;

    private Llama2CTokenizer(byte[][] pieces, float[] scores, int maxTokenLength)
    {
        _pieces = pieces;
        _scores = scores;
        MaxTokenLength = maxTokenLength;
        _lookup = new Dictionary<string, int>(pieces.Length, StringComparer.Ordinal);
        for (int i = 0; i < pieces.Length; i++)
        {
            _lookup.TryAdd(Latin1(pieces[i]), i);
        }
    }

    // Byte strings are keyed as Latin-1 strings: one char per byte, so any byte sequence has exactly one key.
    private static string Latin1(ReadOnlySpan<byte> bytes) => System.Text.Encoding.Latin1.GetString(bytes);

    /// <summary>Number of tokens.</summary>
    public int VocabSize => _pieces.Length;

    /// <summary>The longest piece in bytes, as recorded in the file header.</summary>
    public int MaxTokenLength { get; }

    /// <summary>The piece bytes of a token.</summary>
    public ReadOnlySpan<byte> Piece(int id) => _pieces[id];

    /// <summary>The merge score of a token.</summary>
    public float Score(int id) => _scores[id];

    /// <summary>Loads a tokenizer.bin file.</summary>
    /// <exception cref="TokenizerException">The file is truncated or inconsistent.</exception>
    public static Llama2CTokenizer Load(string path, int? vocabSize = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(File.ReadAllBytes(path), vocabSize, path);
    }

    /// <summary>Parses tokenizer.bin bytes; without <paramref name="vocabSize"/> every entry up to the end is read.</summary>
    /// <exception cref="TokenizerException">The data is truncated or inconsistent.</exception>
    public static Llama2CTokenizer Parse(ReadOnlySpan<byte> data, int? vocabSize = null, string source = "tokenizer.bin")
    {
        if (data.Length < 4)
        {
            throw new TokenizerException($"{source}: expected a 4-byte max_token_length header, found {data.Length} bytes.");
        }

        int maxLength = BinaryPrimitives.ReadInt32LittleEndian(data);
        if (maxLength <= 0 || maxLength > 1 << 16)
        {
            throw new TokenizerException($"{source}: expected a positive max_token_length, found {maxLength}.");
        }

        var pieces = new List<byte[]>();
        var scores = new List<float>();
        int pos = 4;
        while (pos < data.Length && (vocabSize is null || pieces.Count < vocabSize))
        {
            if (pos + 8 > data.Length)
            {
                throw new TokenizerException($"{source}: token {pieces.Count} is truncated at byte {pos} (expected score and length, {data.Length - pos} bytes left).");
            }

            float score = BinaryPrimitives.ReadSingleLittleEndian(data[pos..]);
            int length = BinaryPrimitives.ReadInt32LittleEndian(data[(pos + 4)..]);
            pos += 8;
            if (length < 0 || length > maxLength || pos + length > data.Length)
            {
                throw new TokenizerException(
                    $"{source}: token {pieces.Count} at byte {pos - 8}: expected a length in 0..{Math.Min(maxLength, data.Length - pos)}, found {length}.");
            }

            pieces.Add(data.Slice(pos, length).ToArray());
            scores.Add(score);
            pos += length;
        }

        if (vocabSize is { } n && pieces.Count != n)
        {
            throw new TokenizerException($"{source}: expected {n} tokens, found {pieces.Count}.");
        }

        if (pieces.Count < 3 + 256)
        {
            throw new TokenizerException($"{source}: expected at least 259 tokens (<unk>, <s>, </s> and 256 byte tokens), found {pieces.Count}.");
        }

        return new Llama2CTokenizer([.. pieces], [.. scores], maxLength);
    }

    /// <summary>
    /// The same vocabulary as a pipeline <see cref="Tokenizer"/> in the shape of Hugging Face's Llama 2 tokenizer.json:
    /// pieces with ' ' turned back into '▁', &lt;unk&gt; unknown, &lt;s&gt; and &lt;/s&gt; control, &lt;0xXX&gt; byte pieces,
    /// a BPE whose merges are ranked by the merged piece's score (the ranking llama2.c's encode follows), and BOS added.
    /// </summary>
    public Tokenizer ToTokenizer()
    {
        var pieces = new List<(string, float, SentencePieceModel.PieceType)>(_pieces.Length);
        for (int i = 0; i < _pieces.Length; i++)
        {
            // llama2.c's tokenizer.py wrote BOS and EOS as "\n<s>\n" and "\n</s>\n"; SentencePiece's pieces are "<s>" and "</s>".
            string text = System.Text.Encoding.UTF8.GetString(_pieces[i]);
            string piece = i is Bos or Eos ? text.Trim('\n') : text.Replace(' ', '\u2581');
            var type = i switch
            {
                0 => SentencePieceModel.PieceType.Unknown,
                Bos or Eos => SentencePieceModel.PieceType.Control,
                < 3 + 256 when piece.Length == 6 && piece.StartsWith("<0x", StringComparison.Ordinal) => SentencePieceModel.PieceType.Byte,
                _ => SentencePieceModel.PieceType.Normal,
            };
            pieces.Add((piece, _scores[i], type));
        }

        var tokenizer = SentencePieceTokenizers.Create(SentencePieceModel.FromPieces(pieces, modelType: 2, unkId: 0, byteFallback: true,
            addDummyPrefix: true, removeExtraWhitespaces: false), sentencePieceDecoding: false);
        tokenizer.AddTokens([.. new[] { 0, Bos, Eos }.Select(id => new AddedToken(pieces[id].Item1, id, Special: true, Normalized: false))]);
        string bos = pieces[Bos].Item1;
        tokenizer.PostProcessor = new Processors.TemplateProcessing(
            [new(false, 0, bos, 0), new(true, 0, null, 0)],
            [new(false, 0, bos, 0), new(true, 0, null, 0), new(false, 0, bos, 1), new(true, 1, null, 1)],
            new Dictionary<string, Processors.SpecialTokenEntry> { [bos] = new(bos, [Bos], [bos]) });
        return tokenizer;
    }

    /// <summary>Encodes UTF-8 text the way llama2.c does.</summary>
    public int[] Encode(string text, bool bos = true, bool eos = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(text);
        var tokens = new List<int>(utf8.Length + 3);
        if (bos)
        {
            tokens.Add(Bos);
        }

        if (utf8.Length > 0 && _lookup.TryGetValue(" ", out int dummy))
        {
            tokens.Add(dummy);
        }

        for (int i = 0; i < utf8.Length;)
        {
            int len = 1;
            while (i + len < utf8.Length && len < 4 && (utf8[i + len] & 0xC0) == 0x80)
            {
                len++;
            }

            if (_lookup.TryGetValue(Latin1(utf8.AsSpan(i, len)), out int id))
            {
                tokens.Add(id);
            }
            else
            {
                for (int k = 0; k < len; k++)
                {
                    tokens.Add(utf8[i + k] + 3);
                }
            }

            i += len;
        }

        int start = bos ? 1 : 0;
        var buffer = new byte[MaxTokenLength * 2 + 2];
        while (true)
        {
            float bestScore = float.NegativeInfinity;
            int bestId = -1, bestIndex = -1;
            for (int i = start; i + 1 < tokens.Count; i++)
            {
                var a = _pieces[tokens[i]];
                var b = _pieces[tokens[i + 1]];
                if (a.Length + b.Length > buffer.Length)
                {
                    continue;
                }

                a.CopyTo(buffer, 0);
                b.CopyTo(buffer, a.Length);
                if (_lookup.TryGetValue(Latin1(buffer.AsSpan(0, a.Length + b.Length)), out int id) && _scores[id] > bestScore)
                {
                    bestScore = _scores[id];
                    bestId = id;
                    bestIndex = i;
                }
            }

            if (bestIndex < 0)
            {
                break;
            }

            tokens[bestIndex] = bestId;
            tokens.RemoveAt(bestIndex + 1);
        }

        if (eos)
        {
            tokens.Add(Eos);
        }

        return [.. tokens];
    }

    /// <summary>The bytes llama2.c prints for <paramref name="token"/> after <paramref name="previous"/>.</summary>
    public byte[] DecodePiece(int previous, int token)
    {
        ReadOnlySpan<byte> piece = _pieces[token];
        if (previous == Bos && piece.Length > 0 && piece[0] == (byte)' ')
        {
            piece = piece[1..];
        }

        if (piece.Length == 6 && piece[0] == '<' && piece[1] == '0' && piece[2] == 'x' && piece[5] == '>'
            && byte.TryParse(System.Text.Encoding.ASCII.GetString(piece[3..5]), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out byte b))
        {
            return [b];
        }

        return piece.ToArray();
    }

    /// <summary>Decodes a token sequence (the first token is taken to follow BOS when it is BOS itself).</summary>
    public string Decode(IReadOnlyList<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var bytes = new List<byte>();
        for (int i = 0; i < ids.Count; i++)
        {
            if (ids[i] == Bos && i == 0)
            {
                continue;
            }

            bytes.AddRange(DecodePiece(i == 0 ? -1 : ids[i - 1], ids[i]));
        }

        return System.Text.Encoding.UTF8.GetString([.. bytes]);
    }
}
