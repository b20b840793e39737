namespace Loom.Metrics.Rouge;

/// <summary>An <see cref="IRougeTokenizer"/> backed by a function, e.g. a Chinese word segmenter.</summary>
public sealed class DelegateRougeTokenizer : IRougeTokenizer
{
    private readonly Func<string, IReadOnlyList<string>> _tokenize;

    /// <summary>Wraps <paramref name="tokenize"/>.</summary>
    public DelegateRougeTokenizer(Func<string, IReadOnlyList<string>> tokenize)
    {
        ArgumentNullException.ThrowIfNull(tokenize);
        _tokenize = tokenize;
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Tokenize(string text) => _tokenize(text);
}
