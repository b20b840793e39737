using Loom.Core;

namespace Loom.Models.Decoding;

/// <summary>A decoder-only language model (GPT-2, LLaMA, Qwen2, BLOOM) with incremental decoding.</summary>
public interface ICausalLm
{
    /// <summary>The Hugging Face architecture name, e.g. <c>LlamaForCausalLM</c>.</summary>
    string Architecture { get; }

    /// <summary>Number of blocks L (the size of a <see cref="DecoderCache"/> for this model).</summary>
    int LayerCount { get; }

    /// <summary>Vocabulary size V.</summary>
    int VocabSize { get; }

    /// <summary>Every parameter with its checkpoint name (tied parameters appear once, under their source name).</summary>
    IReadOnlyList<KeyValuePair<string, Tensor>> Parameters { get; }

    /// <summary>Checkpoint names that share another parameter (e.g. <c>lm_head.weight</c> → the token embedding).</summary>
    IReadOnlyDictionary<string, string> TiedWeights { get; }

    /// <summary>
    /// Runs <paramref name="inputIds"/> (B, T). <paramref name="attentionMask"/> (B, S) covers cached and new positions;
    /// <paramref name="positionIds"/> (B, T) defaults to the positions after the cache; <paramref name="cache"/> is read
    /// and extended; <paramref name="labels"/> (B, T), unshifted with −100 ignored, adds the next-token loss.
    /// </summary>
    CausalLmOutput Forward(IntTensor inputIds, IntTensor? attentionMask = null, IntTensor? positionIds = null,
        DecoderCache? cache = null, IntTensor? labels = null, bool outputAttentions = false, bool outputHiddenStates = false);
}
