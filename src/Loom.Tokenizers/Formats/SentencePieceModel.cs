// Reader for SentencePiece .model files (google/sentencepiece sentencepiece_model.proto, ModelProto): the pieces
// (text, score, type), the trainer spec (model type, byte_fallback, special ids) and the normalizer spec
// (precompiled charsmap, dummy prefix, whitespace handling). A minimal protobuf wire-format reader is enough:
// varints, fixed32 and length-delimited fields; unknown fields are skipped.
using System.Buffers.Binary;

namespace Loom.Tokenizers.Formats;

/// <summary>The contents of a SentencePiece .model file.</summary>
public sealed class SentencePieceModel
{
    /// <summary>Piece types of sentencepiece_model.proto.</summary>
    public enum PieceType
    {
        /// <summary>Ordinary piece.</summary>
        Normal = 1,

        /// <summary>The unknown piece.</summary>
        Unknown = 2,

        /// <summary>Control symbol such as &lt;s&gt;.</summary>
        Control = 3,

        /// <summary>User-defined symbol.</summary>
        UserDefined = 4,

        /// <summary>Unused piece.</summary>
        Unused = 5,

        /// <summary>Byte piece &lt;0xXX&gt;.</summary>
        Byte = 6,
    }

    /// <summary>The pieces in id order.</summary>
    public List<(string Piece, float Score, PieceType Type)> Pieces { get; } = [];

    /// <summary>1 = unigram, 2 = BPE, 3 = word, 4 = char.</summary>
    public int ModelType { get; private set; } = 1;

    /// <summary>Unknown characters become byte pieces.</summary>
    public bool ByteFallback { get; private set; }

    /// <summary>Id of the unknown piece.</summary>
    public int UnkId { get; private set; }

    /// <summary>Id of BOS (-1: none).</summary>
    public int BosId { get; private set; } = 1;

    /// <summary>Id of EOS (-1: none).</summary>
    public int EosId { get; private set; } = 2;

    /// <summary>The normalization rules (may be empty).</summary>
    public byte[] PrecompiledCharsmap { get; private set; } = [];

    /// <summary>Prepend "▁" to the input.</summary>
    public bool AddDummyPrefix { get; private set; } = true;

    /// <summary>Strip and collapse spaces.</summary>
    public bool RemoveExtraWhitespaces { get; private set; } = true;

    /// <summary>Replace spaces by "▁".</summary>
    public bool EscapeWhitespaces { get; private set; } = true;

    /// <summary>A model whose pieces and settings were read from another format (GGUF, llama2.c tokenizer.bin).</summary>
    internal static SentencePieceModel FromPieces(IEnumerable<(string Piece, float Score, PieceType Type)> pieces, int modelType, int unkId, bool byteFallback,
        bool addDummyPrefix, bool removeExtraWhitespaces, byte[]? precompiledCharsmap = null)
    {
        var model = new SentencePieceModel
        {
            ModelType = modelType,
            UnkId = unkId,
            ByteFallback = byteFallback,
            AddDummyPrefix = addDummyPrefix,
            RemoveExtraWhitespaces = removeExtraWhitespaces,
            PrecompiledCharsmap = precompiledCharsmap ?? [],
        };
        model.Pieces.AddRange(pieces);
        return model;
    }

    /// <summary>Loads a .model file.</summary>
    /// <exception cref="TokenizerException">The protobuf is truncated or malformed.</exception>
    public static SentencePieceModel Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses .model bytes.</summary>
    /// <exception cref="TokenizerException">The protobuf is truncated or malformed.</exception>
    public static SentencePieceModel Parse(byte[] data, string source = "sentencepiece.model")
    {
        ArgumentNullException.ThrowIfNull(data);
        var model = new SentencePieceModel();
        try
        {
            var reader = new Reader(data, 0, data.Length, source);
            while (reader.Next(out int field, out int wire))
            {
                switch (field)
                {
                    case 1 when wire == 2:
                        model.Pieces.Add(ReadPiece(reader.Sub()));
                        break;
                    case 2 when wire == 2:
                        model.ReadTrainerSpec(reader.Sub());
                        break;
                    case 3 when wire == 2:
                        model.ReadNormalizerSpec(reader.Sub());
                        break;
                    default:
                        reader.Skip(wire);
                        break;
                }
            }
        }
        catch (IndexOutOfRangeException e)
        {
            throw new TokenizerException($"{source}: truncated protobuf (a field runs past the end of the {data.Length}-byte file).", e);
        }

        if (model.Pieces.Count == 0)
        {
            throw new TokenizerException($"{source}: expected SentencePiece pieces (ModelProto field 1), found none.");
        }

        return model;
    }

    private static (string, float, PieceType) ReadPiece(Reader r)
    {
        string piece = string.Empty;
        float score = 0;
        var type = PieceType.Normal;
        while (r.Next(out int field, out int wire))
        {
            switch (field)
            {
                case 1 when wire == 2:
                    piece = r.String();
                    break;
                case 2 when wire == 5:
                    score = r.Float();
                    break;
                case 3 when wire == 0:
                    type = (PieceType)(int)r.Varint();
                    break;
                default:
                    r.Skip(wire);
                    break;
            }
        }

        return (piece, score, type);
    }

    private void ReadTrainerSpec(Reader r)
    {
        while (r.Next(out int field, out int wire))
        {
            switch (field)
            {
                case 3 when wire == 0:
                    ModelType = (int)r.Varint();
                    break;
                case 35 when wire == 0:
                    ByteFallback = r.Varint() != 0;
                    break;
                case 40 when wire == 0:
                    UnkId = (int)r.Varint();
                    break;
                case 41 when wire == 0:
                    BosId = (int)r.Varint();
                    break;
                case 42 when wire == 0:
                    EosId = (int)r.Varint();
                    break;
                default:
                    r.Skip(wire);
                    break;
            }
        }
    }

    private void ReadNormalizerSpec(Reader r)
    {
        while (r.Next(out int field, out int wire))
        {
            switch (field)
            {
                case 2 when wire == 2:
                    PrecompiledCharsmap = r.Bytes();
                    break;
                case 3 when wire == 0:
                    AddDummyPrefix = r.Varint() != 0;
                    break;
                case 4 when wire == 0:
                    RemoveExtraWhitespaces = r.Varint() != 0;
                    break;
                case 5 when wire == 0:
                    EscapeWhitespaces = r.Varint() != 0;
                    break;
                default:
                    r.Skip(wire);
                    break;
            }
        }
    }

    private sealed class Reader(byte[] data, int pos, int end, string source)
    {
        private int _pos = pos;

        public bool Next(out int field, out int wire)
        {
            if (_pos >= end)
            {
                field = wire = 0;
                return false;
            }

            ulong tag = Varint();
            field = (int)(tag >> 3);
            wire = (int)(tag & 7);
            return true;
        }

        public ulong Varint()
        {
            ulong result = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                if (_pos >= end)
                {
                    throw new TokenizerException($"{source}: truncated varint at byte {_pos}.");
                }

                byte b = data[_pos++];
                result |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return result;
                }
            }

            throw new TokenizerException($"{source}: varint longer than 10 bytes at byte {_pos}.");
        }

        private int Length()
        {
            ulong n = Varint();
            if (n > (ulong)(end - _pos))
            {
                throw new TokenizerException($"{source}: field of {n} bytes at byte {_pos} runs past its message (only {end - _pos} bytes left).");
            }

            return (int)n;
        }

        public Reader Sub()
        {
            int n = Length();
            var sub = new Reader(data, _pos, _pos + n, source);
            _pos += n;
            return sub;
        }

        public byte[] Bytes()
        {
            int n = Length();
            var b = data.AsSpan(_pos, n).ToArray();
            _pos += n;
            return b;
        }

        public string String() => System.Text.Encoding.UTF8.GetString(Bytes());

        public float Float()
        {
            if (_pos + 4 > end)
            {
                throw new TokenizerException($"{source}: truncated float at byte {_pos}.");
            }

            float f = BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan(_pos));
            _pos += 4;
            return f;
        }

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0:
                    Varint();
                    break;
                case 1:
                    _pos += 8;
                    break;
                case 2:
                    int n = Length();
                    _pos += n;
                    break;
                case 5:
                    _pos += 4;
                    break;
                default:
                    throw new TokenizerException($"{source}: unsupported protobuf wire type {wire} at byte {_pos}.");
            }

            if (_pos > end)
            {
                throw new TokenizerException($"{source}: field runs past the end of its message at byte {_pos}.");
            }
        }
    }
}
