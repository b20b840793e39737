// The two row orders of q/k projection weights for rotary embeddings: Meta / llama2.c / llama.cpp pair dimensions
// (2i, 2i + 1) of each head ("interleaved"); Hugging Face pairs (i, i + D/2) ("halves"). Converting a checkpoint
// between them permutes the output rows within each head, as transformers' convert_llama_weights_to_hf.py and
// llama.cpp's convert_hf_to_gguf.py do.
using Loom.Core;

namespace Loom.Models.Llama;

/// <summary>Permutes q/k weight rows (H·D, C) between the interleaved and the half-split rotary layouts.</summary>
internal static class RotaryRowOrder
{
    /// <summary>Rows with pairs (2i, 2i + 1) per head → rows with pairs (i, i + D/2).</summary>
    public static float[] InterleavedToHalves(Tensor weight, int headDim) =>
        PermuteRows(weight, headDim, (within, half) => ((within % 2) * half) + (within / 2)); // 2i + j → j·D/2 + i

    /// <summary>Rows with pairs (i, i + D/2) per head → rows with pairs (2i, 2i + 1).</summary>
    public static float[] HalvesToInterleaved(Tensor weight, int headDim) =>
        PermuteRows(weight, headDim, (within, half) => (2 * (within % half)) + (within / half)); // j·D/2 + i → 2i + j

    private static float[] PermuteRows(Tensor weight, int headDim, Func<int, int, int> targetWithinHead)
    {
        var source = weight.ToArray();
        var rows = weight.Size(0);
        var width = source.Length / rows;
        var result = new float[source.Length];
        for (var row = 0; row < rows; row++)
        {
            var head = row / headDim;
            var target = (head * headDim) + targetWithinHead(row % headDim, headDim / 2);
            Array.Copy(source, row * width, result, target * width, width);
        }

        return result;
    }
}
