// The "pattern" of Hugging Face tokenizers' Split / Replace components: a literal string or a regular expression.
using System.Text.RegularExpressions;

namespace Loom.Tokenizers;

/// <summary>A literal string or a regular expression to search for.</summary>
public sealed class Pattern
{
    private readonly string? _literal;
    private readonly Regex? _regex;

    private Pattern(string? literal, Regex? regex)
    {
        _literal = literal;
        _regex = regex;
    }

    /// <summary>A literal pattern.</summary>
    public static Pattern Literal(string text) => new(text ?? throw new ArgumentNullException(nameof(text)), null);

    /// <summary>A regular-expression pattern.</summary>
    public static Pattern FromRegex(string regex) => new(null, new Regex(regex ?? throw new ArgumentNullException(nameof(regex)), RegexOptions.CultureInvariant));

    /// <summary>The literal text, or null for a regex.</summary>
    public string? LiteralText => _literal;

    /// <summary>The regex source, or null for a literal.</summary>
    public string? RegexText => _regex?.ToString();

    /// <summary>Non-overlapping matches, left to right, as UTF-16 [start, end) ranges.</summary>
    public IEnumerable<(int Start, int End)> FindMatches(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_literal is not null)
        {
            if (_literal.Length == 0)
            {
                yield break;
            }

            int i = 0;
            while ((i = text.IndexOf(_literal, i, StringComparison.Ordinal)) >= 0)
            {
                yield return (i, i + _literal.Length);
                i += _literal.Length;
            }

            yield break;
        }

        foreach (Match m in _regex!.Matches(text))
        {
            if (m.Length > 0)
            {
                yield return (m.Index, m.Index + m.Length);
            }
        }
    }
}
