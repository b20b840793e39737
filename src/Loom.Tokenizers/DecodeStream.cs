// Streaming decode as in Hugging Face tokenizers (tokenizer/mod.rs, DecodeStream / step_decode_stream): ids arrive
// one at a time; the text of a short window of recent ids is decoded and only what it adds beyond the window's
// previous text is emitted, and nothing while the decoded text ends in U+FFFD (an incomplete UTF-8 sequence from
// byte-level or byte-fallback tokens), so a multi-byte character is never emitted in halves.
namespace Loom.Tokenizers;

/// <summary>
/// Decodes a growing sequence of ids into text pieces whose concatenation is the decoded sequence
/// (for example while a model generates), never emitting part of a multi-byte character.
/// </summary>
public sealed class DecodeStream
{
    private readonly Tokenizer _tokenizer;
    private readonly bool _skipSpecialTokens;
    private readonly List<int> _ids = [];
    private string _prefix = "";
    private int _prefixIndex;

    /// <summary>Starts an empty stream over <paramref name="tokenizer"/>'s decoder.</summary>
    public DecodeStream(Tokenizer tokenizer, bool skipSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        _tokenizer = tokenizer;
        _skipSpecialTokens = skipSpecialTokens;
    }

    /// <summary>
    /// Adds one id; returns the new text it completes, or null while the text so far ends in an incomplete character
    /// (or the id adds no text).
    /// </summary>
    /// <exception cref="TokenizerException">The decoder rewrote text it had already emitted.</exception>
    public string? Step(int id)
    {
        if (_prefix.Length == 0 && _ids.Count > 0)
        {
            var start = Decode();
            if (!start.EndsWith('\uFFFD'))
            {
                _prefix = start;
                _prefixIndex = _ids.Count;
            }
        }

        _ids.Add(id);
        var text = Decode();
        if (text.Length <= _prefix.Length || text.EndsWith('\uFFFD'))
        {
            return null;
        }

        if (!text.StartsWith(_prefix, StringComparison.Ordinal))
        {
            throw new TokenizerException(
                $"DecodeStream: expected the decoded window to start with the text already emitted ('{_prefix}'), found '{text}' after id {id}.");
        }

        var added = text[_prefix.Length..];
        var windowStart = _ids.Count - _prefixIndex;
        _ids.RemoveRange(0, _prefixIndex);
        _prefix = Decode();
        _prefixIndex = windowStart;
        return added;
    }

    private string Decode() => _tokenizer.Decode(_ids, _skipSpecialTokens);
}
