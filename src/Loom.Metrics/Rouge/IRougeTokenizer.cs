namespace Loom.Metrics.Rouge;

/// <summary>
/// Turns a text into the tokens ROUGE counts (rouge-score's <c>tokenizers.Tokenizer</c> interface). Plug in any
/// word segmenter (for example a Chinese word-level one) by implementing this interface or wrapping a delegate in
/// <see cref="DelegateRougeTokenizer"/>.
/// </summary>
public interface IRougeTokenizer
{
    /// <summary>The tokens of <paramref name="text"/>.</summary>
    IReadOnlyList<string> Tokenize(string text);
}
