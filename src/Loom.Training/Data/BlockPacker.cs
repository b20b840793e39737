// Packing for causal-LM pretraining as in GPT-2/nanoGPT and HF run_clm.py group_texts: documents are concatenated with
// an end-of-text separator after each one and the stream is cut into fixed-length blocks, so no position is padding.
namespace Loom.Training.Data;

/// <summary>Packs a stream of tokenized documents into fixed-length blocks separated by EOS tokens.</summary>
public static class BlockPacker
{
    /// <summary>
    /// Blocks of exactly <paramref name="blockSize"/> ids from the documents, each followed by <paramref name="eosId"/>.
    /// Streams: holds at most one block plus one document. The last partial block is dropped unless
    /// <paramref name="keepLast"/> (then it is shorter).
    /// </summary>
    public static IEnumerable<int[]> Pack(IEnumerable<int[]> documents, int blockSize, int eosId, bool keepLast = false)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        var block = new int[blockSize];
        var filled = 0;
        foreach (var document in documents)
        {
            ArgumentNullException.ThrowIfNull(document);
            for (var i = 0; i <= document.Length; i++)
            {
                block[filled++] = i < document.Length ? document[i] : eosId;
                if (filled == blockSize)
                {
                    yield return block;
                    block = new int[blockSize];
                    filled = 0;
                }
            }
        }

        if (keepLast && filled > 0)
        {
            yield return block[..filled];
        }
    }

    /// <summary>
    /// Input/target windows for next-token training (nanoGPT get_batch): block i holds ids [i·stride, i·stride + blockSize]
    /// (blockSize + 1 ids, so the targets are the inputs shifted by one).
    /// </summary>
    public static IEnumerable<int[]> Windows(int[] tokens, int blockSize, int stride)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        for (var start = 0; start + blockSize + 1 <= tokens.Length; start += stride)
        {
            yield return tokens[start..(start + blockSize + 1)];
        }
    }
}
