// Subword regularisation (Kudo 2018) at encode time, with sentencepiece's SampleEncode parameters: each word of a
// Unigram tokenizer gets a sampled segmentation instead of the best one.
namespace Loom.Tokenizers;

/// <summary>
/// Sampling settings for Unigram models: <paramref name="NBestSize"/> &gt; 1 samples among the n best segmentations of
/// each word with probability ∝ exp(<paramref name="Alpha"/> · score), &lt; 0 samples from every segmentation (forward
/// filtering, backward sampling), 0 or 1 keeps the best. <paramref name="Random"/> draws the samples, so a seeded
/// generator makes the encodings reproducible (null: <see cref="System.Random.Shared"/>).
/// </summary>
public sealed record SubwordSampling(int NBestSize, double Alpha, Random? Random = null);
