namespace Loom.Metrics.Bleu;

/// <summary>A sacrebleu tokenizer: turns one (already lower-cased, right-stripped) line into space-separated tokens.</summary>
public interface IBleuTokenizer
{
    /// <summary>The name used in the signature (<c>tok:NAME</c>), e.g. <c>13a</c>.</summary>
    string Name { get; }

    /// <summary>Tokenizes one line.</summary>
    string Tokenize(string line);
}
