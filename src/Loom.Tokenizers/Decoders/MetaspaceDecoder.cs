// HF decoders/metaspace: the replacement character becomes a space, except in the first token when a prefix
// was prepended (all replacement characters of that token are dropped, as the reference does).
namespace Loom.Tokenizers.Decoders;

/// <summary>The Metaspace decoder.</summary>
public sealed class MetaspaceDecoder(char replacement = '\u2581', bool prependScheme = true) : IDecoder
{
    /// <summary>The character standing for a space.</summary>
    public char Replacement { get; } = replacement;

    /// <summary>Whether encoding prepended a replacement (scheme other than "never").</summary>
    public bool Prepended { get; } = prependScheme;

    /// <inheritdoc/>
    public List<string> DecodeChain(List<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var result = new List<string>(tokens.Count);
        for (int i = 0; i < tokens.Count; i++)
        {
            var sb = new System.Text.StringBuilder(tokens[i].Length);
            foreach (char c in tokens[i])
            {
                if (c == Replacement)
                {
                    if (!(i == 0 && Prepended))
                    {
                        sb.Append(' ');
                    }
                }
                else
                {
                    sb.Append(c);
                }
            }

            result.Add(sb.ToString());
        }

        return result;
    }
}
