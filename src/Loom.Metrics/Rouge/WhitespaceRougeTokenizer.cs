using Loom.Metrics.Text;

namespace Loom.Metrics.Rouge;

/// <summary>Python's <c>text.split()</c>: case-sensitive, punctuation kept (the fixture convention <c>whitespace</c>).</summary>
public sealed class WhitespaceRougeTokenizer : IRougeTokenizer
{
    /// <inheritdoc />
    public IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return PyText.Split(text);
    }
}
