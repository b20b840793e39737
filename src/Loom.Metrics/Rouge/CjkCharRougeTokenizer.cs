// Character-level CJK tokenization for ROUGE, the cjk_char convention of ../shared/fixtures/metrics/README.md.
using System.Text;
using Loom.Metrics.Text;

namespace Loom.Metrics.Rouge;

/// <summary>
/// Character-level tokenizer for Chinese, the fixture convention <c>cjk_char</c>:
/// <c>re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[a-z0-9]+", text.lower())</c>. Every CJK ideograph is
/// a token, every run of ASCII letters/digits is a token, everything else separates; optional Porter stemming of
/// ASCII tokens longer than three characters (off in the rouge-score fixtures).
/// </summary>
public class CjkCharRougeTokenizer : IRougeTokenizer
{
    private readonly bool _useStemmer;

    /// <summary>Creates the tokenizer; <paramref name="useStemmer"/> stems ASCII words like rouge-score does.</summary>
    public CjkCharRougeTokenizer(bool useStemmer = false) => _useStemmer = useStemmer;

    /// <summary>Whether a code point is one of the ideograph ranges this tokenizer splits into characters.</summary>
    protected virtual bool IsCjkCharacter(int codePoint) =>
        codePoint is (>= 0x3400 and <= 0x4DBF) or (>= 0x4E00 and <= 0x9FFF) or (>= 0xF900 and <= 0xFAFF);

    /// <inheritdoc />
    public IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>();
        var run = new StringBuilder();
        foreach (var rune in PyText.Lower(text).EnumerateRunes())
        {
            var c = rune.Value;
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                run.Append((char)c);
                continue;
            }

            Flush(tokens, run);
            if (IsCjkCharacter(c))
            {
                tokens.Add(rune.ToString());
            }
        }

        Flush(tokens, run);
        return tokens;
    }

    private void Flush(List<string> tokens, StringBuilder run)
    {
        if (run.Length == 0)
        {
            return;
        }

        var word = run.ToString();
        tokens.Add(_useStemmer && word.Length > 3 ? PorterStemmer.Instance.Stem(word) : word);
        run.Clear();
    }
}
