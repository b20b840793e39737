namespace Loom.Metrics.Captioning;

/// <summary>One image (or report) to score: its id, its reference captions and the single generated caption.
/// Captions are already tokenised (pycocoevalcap's PTB tokenizer step is not part of these metrics).</summary>
/// <param name="ImageId">The image id (results are returned in input order).</param>
/// <param name="References">The reference captions (at least one).</param>
/// <param name="Hypothesis">The generated caption (may be empty).</param>
public sealed record CaptionExample(string ImageId, IReadOnlyList<string> References, string Hypothesis)
{
    /// <summary>Checks the pycocoevalcap preconditions: at least one example, each with at least one reference.</summary>
    public static void Validate(IReadOnlyList<CaptionExample> examples, string metric)
    {
        if (examples.Count == 0)
        {
            throw new MetricException($"{metric}: expected at least one image, found none.");
        }
        foreach (var e in examples)
        {
            if (e.References.Count == 0)
            {
                throw new MetricException($"{metric}: image '{e.ImageId}' has no reference caption (expected at least one).");
            }
        }
    }
}
