using Loom.Tokenizers.Models;

namespace Loom.Tokenizers.Trainers;

/// <summary>Shared steps of the trainers.</summary>
internal static class TrainerSupport
{
    /// <summary>A tokenizer with the pipeline of <paramref name="template"/>, the trained model and the special tokens as added tokens.</summary>
    public static Tokenizer Rebuild(Tokenizer template, ITokenizerModel model, IReadOnlyList<string> specialTokens)
    {
        var result = new Tokenizer(model)
        {
            Normalizer = template.Normalizer,
            PreTokenizer = template.PreTokenizer,
            PostProcessor = template.PostProcessor,
            Decoder = template.Decoder,
            Truncation = template.Truncation,
            Padding = template.Padding,
        };
        result.AddTokens(specialTokens.Where(t => model.TokenToId(t) is not null)
            .Select(t => new AddedToken(t, model.TokenToId(t)!.Value, Special: true, Normalized: false)).ToList());
        return result;
    }
}
