namespace Loom.Tokenizers.Decoders;

/// <summary>Replaces a pattern in every token.</summary>
public sealed class ReplaceDecoder(Pattern pattern, string content) : IDecoder
{
    /// <summary>What to find.</summary>
    public Pattern Pattern { get; } = pattern ?? throw new ArgumentNullException(nameof(pattern));

    /// <summary>The replacement.</summary>
    public string Content { get; } = content ?? throw new ArgumentNullException(nameof(content));

    /// <inheritdoc/>
    public List<string> DecodeChain(List<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var result = new List<string>(tokens.Count);
        foreach (var t in tokens)
        {
            var sb = new System.Text.StringBuilder(t.Length);
            int last = 0;
            foreach (var (s, e) in Pattern.FindMatches(t))
            {
                sb.Append(t, last, s - last).Append(Content);
                last = e;
            }

            sb.Append(t, last, t.Length - last);
            result.Add(sb.ToString());
        }

        return result;
    }
}
