// HF decoders (byte_level.rs): map byte-level characters back to bytes and decode UTF-8, replacing invalid
// sequences with U+FFFD; a token with characters outside the alphabet contributes its own UTF-8 bytes.
namespace Loom.Tokenizers.Decoders;

/// <summary>The byte-level decoder.</summary>
public sealed class ByteLevelDecoder(bool addPrefixSpace = true, bool trimOffsets = true, bool useRegex = true) : IDecoder
{
    /// <summary>Kept for round-tripping tokenizer.json.</summary>
    public bool AddPrefixSpace { get; } = addPrefixSpace;

    /// <summary>Kept for round-tripping tokenizer.json.</summary>
    public bool TrimOffsets { get; } = trimOffsets;

    /// <summary>Kept for round-tripping tokenizer.json.</summary>
    public bool UseRegex { get; } = useRegex;

    /// <inheritdoc/>
    public List<string> DecodeChain(List<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var bytes = new List<byte>();
        foreach (var t in tokens)
        {
            int mark = bytes.Count;
            bool ok = true;
            foreach (char c in t)
            {
                if (!ByteLevelAlphabet.TryCharToByte(c, out byte b))
                {
                    ok = false;
                    break;
                }

                bytes.Add(b);
            }

            if (!ok)
            {
                bytes.RemoveRange(mark, bytes.Count - mark);
                bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(t));
            }
        }

        return [System.Text.Encoding.UTF8.GetString([.. bytes])];
    }
}
