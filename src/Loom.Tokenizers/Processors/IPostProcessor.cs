namespace Loom.Tokenizers.Processors;

/// <summary>Fourth pipeline stage: adds special tokens, sets type ids, adjusts offsets, joins a pair.</summary>
public interface IPostProcessor
{
    /// <summary>How many tokens <see cref="Process"/> adds (for truncation).</summary>
    int AddedTokens(bool isPair);

    /// <summary>Processes the encodings of a single sequence or a pair; the result is concatenated by the caller.</summary>
    List<Encoding> Process(List<Encoding> encodings, bool addSpecialTokens);
}
