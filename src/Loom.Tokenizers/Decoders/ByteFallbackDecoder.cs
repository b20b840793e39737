// HF decoders/byte_fallback.rs: runs of <0xXX> tokens become the UTF-8 text they encode; an invalid run becomes
// one U+FFFD per byte.
namespace Loom.Tokenizers.Decoders;

/// <summary>The byte-fallback decoder.</summary>
public sealed class ByteFallbackDecoder : IDecoder
{
    private static readonly System.Text.UTF8Encoding Strict = new(false, true);

    private static bool TryParseByte(string token, out byte value)
    {
        value = 0;
        return token.Length == 6 && token.StartsWith("<0x", StringComparison.Ordinal) && token[5] == '>'
            && byte.TryParse(token.AsSpan(3, 2), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out value);
    }

    /// <inheritdoc/>
    public List<string> DecodeChain(List<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var result = new List<string>(tokens.Count);
        var pending = new List<byte>();
        void Flush()
        {
            if (pending.Count == 0)
            {
                return;
            }

            try
            {
                result.Add(Strict.GetString([.. pending]));
            }
            catch (System.Text.DecoderFallbackException)
            {
                for (int i = 0; i < pending.Count; i++)
                {
                    result.Add("\uFFFD");
                }
            }

            pending.Clear();
        }

        foreach (var t in tokens)
        {
            if (TryParseByte(t, out byte b))
            {
                pending.Add(b);
            }
            else
            {
                Flush();
                result.Add(t);
            }
        }

        Flush();
        return result;
    }
}
