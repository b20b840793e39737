namespace Loom.Tokenizers.Decoders;

/// <summary>Removes up to <see cref="Start"/> leading and <see cref="Stop"/> trailing occurrences of a character from each token.</summary>
public sealed class StripDecoder(char content, int start, int stop) : IDecoder
{
    /// <summary>The character to strip.</summary>
    public char Content { get; } = content;

    /// <summary>How many at the start.</summary>
    public int Start { get; } = start;

    /// <summary>How many at the end.</summary>
    public int Stop { get; } = stop;

    /// <inheritdoc/>
    public List<string> DecodeChain(List<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var result = new List<string>(tokens.Count);
        foreach (var t in tokens)
        {
            int s = 0;
            while (s < Start && s < t.Length && t[s] == Content)
            {
                s++;
            }

            int e = t.Length;
            for (int i = 0; i < Stop && e - 1 >= s && t[e - 1] == Content; i++)
            {
                e--;
            }

            result.Add(t[s..e]);
        }

        return result;
    }
}
