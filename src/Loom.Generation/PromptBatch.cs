// A batch of prompts as Hugging Face tokenizers hand them to generate() with padding_side="left": equal-width rows,
// padding first, and an attention mask (1 = token, 0 = padding).
using Loom.Core;

namespace Loom.Generation;

/// <summary>Left-padded prompt rows and their attention mask.</summary>
public sealed class PromptBatch
{
    /// <summary>Takes already padded rows; every row of <paramref name="ids"/> and <paramref name="mask"/> has one width.</summary>
    public PromptBatch(IReadOnlyList<IReadOnlyList<int>> ids, IReadOnlyList<IReadOnlyList<int>> mask)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(mask);
        if (ids.Count == 0 || ids.Count != mask.Count)
        {
            throw new ArgumentException($"Prompt batch: expected as many mask rows as id rows (≥ 1); found {ids.Count} id rows and {mask.Count} mask rows.", nameof(mask));
        }

        var width = ids[0].Count;
        for (var row = 0; row < ids.Count; row++)
        {
            if (ids[row].Count != width || mask[row].Count != width || width == 0)
            {
                throw new ArgumentException($"Prompt batch row {row}: expected {width} ids and {width} mask values (> 0); found {ids[row].Count} ids and {mask[row].Count} mask values.", nameof(ids));
            }
        }

        Ids = [.. ids.Select(r => r.ToArray())];
        Mask = [.. mask.Select(r => r.ToArray())];
    }

    /// <summary>B.</summary>
    public int Batch => Ids.Length;

    /// <summary>The padded width T.</summary>
    public int Width => Ids[0].Length;

    /// <summary>(B, T) token ids.</summary>
    public int[][] Ids { get; }

    /// <summary>(B, T) attention mask.</summary>
    public int[][] Mask { get; }

    /// <summary>The ids as a (B, T) tensor, the form an encoder takes them in.</summary>
    public IntTensor IdsTensor() => IntTensor.FromArray([.. Ids.SelectMany(r => r)], Batch, Width);

    /// <summary>The attention mask as a (B, T) tensor.</summary>
    public IntTensor MaskTensor() => IntTensor.FromArray([.. Mask.SelectMany(r => r)], Batch, Width);

    /// <summary>One row per prompt holding only <paramref name="decoderStartTokenId"/>: where an encoder-decoder's decoder begins.</summary>
    public int[][] DecoderStartRows(int decoderStartTokenId) => [.. Enumerable.Range(0, Batch).Select(_ => new[] { decoderStartTokenId })];

    /// <summary>Left-pads <paramref name="prompts"/> with <paramref name="padTokenId"/>.</summary>
    public static PromptBatch LeftPad(IReadOnlyList<IReadOnlyList<int>> prompts, int padTokenId)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        var width = prompts.Count == 0 ? 0 : prompts.Max(p => p.Count);
        var ids = prompts.Select(p => (IReadOnlyList<int>)[.. Enumerable.Repeat(padTokenId, width - p.Count), .. p]).ToList();
        var mask = prompts.Select(p => (IReadOnlyList<int>)[.. Enumerable.Repeat(0, width - p.Count), .. Enumerable.Repeat(1, p.Count)]).ToList();
        return new PromptBatch(ids, mask);
    }
}
