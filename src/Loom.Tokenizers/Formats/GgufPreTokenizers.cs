// The pre-tokenizer a GGUF byte-level BPE vocabulary names in tokenizer.ggml.pre, written as the Hugging Face
// pre-tokenizer of the model it was converted from (llama.cpp llama-vocab.cpp maps the same names to split regexes;
// the HF originals are what the llama.cpp test vectors were made with):
//   gpt-2 (and no name)  ByteLevel with the GPT-2 regex                        (openai-community/gpt2, EleutherAI gpt-neox)
//   falcon               Punctuation(contiguous), ByteLevel, Digits, Split "[0-9][0-9][0-9]" isolated (tiiuae/falcon-7b)
//   starcoder            Digits(individual), ByteLevel                           (bigcode/starcoder2)
//   llama3 / llama-bpe   Split on the Llama 3 regex (isolated), ByteLevel without regex (meta-llama/Meta-Llama-3-8B)
// A name outside this list is an error rather than a guess: another split (or a missing normalizer, as Qwen2's NFC)
// gives other tokens.
using Loom.Tokenizers.PreTokenizers;

namespace Loom.Tokenizers.Formats;

/// <summary>Maps <c>tokenizer.ggml.pre</c> names to pre-tokenizers.</summary>
internal static class GgufPreTokenizers
{
    private const string Llama3Regex =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>The names <see cref="Create"/> accepts.</summary>
    public static readonly IReadOnlyList<string> Supported =
        ["default", "gpt-2", "phi-2", "roberta-bpe", "falcon", "starcoder", "refact", "command-r", "smollm", "llama3", "llama-v3", "llama-bpe"];

    /// <summary>The pre-tokenizer for <paramref name="name"/> (null: the GPT-2 default).</summary>
    /// <exception cref="TokenizerException">The name is not one of <see cref="Supported"/>.</exception>
    public static IPreTokenizer Create(string? name, string source) => name switch
    {
        null or "default" or "gpt-2" or "phi-2" or "roberta-bpe" => ByteLevel(useRegex: true),
        "falcon" => new SequencePreTokenizer(
        [
            new PunctuationPreTokenizer(SplitDelimiterBehavior.Contiguous),
            ByteLevel(useRegex: true),
            new DigitsPreTokenizer(individualDigits: false),
            new SplitPreTokenizer(Pattern.FromRegex("[0-9][0-9][0-9]"), SplitDelimiterBehavior.Isolated, invert: false),
        ]),
        "starcoder" or "refact" or "command-r" or "smollm" => new SequencePreTokenizer([new DigitsPreTokenizer(individualDigits: true), ByteLevel(useRegex: true)]),
        "llama3" or "llama-v3" or "llama-bpe" => RegexThenByteLevel(Llama3Regex),
        _ => throw new TokenizerException(
            $"{source}: tokenizer.ggml.pre '{name}' is not supported; expected one of {string.Join(", ", Supported)} (or no pre-tokenizer name)."),
    };

    private static ByteLevelPreTokenizer ByteLevel(bool useRegex) => new(addPrefixSpace: false, trimOffsets: true, useRegex: useRegex);

    private static SequencePreTokenizer RegexThenByteLevel(string regex) =>
        new([new SplitPreTokenizer(Pattern.FromRegex(regex), SplitDelimiterBehavior.Isolated, invert: false), ByteLevel(useRegex: false)]);
}
