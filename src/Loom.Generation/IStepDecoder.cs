// The model side of every decoding strategy (greedy, sampling, beam search): how a batch starts and how it advances by
// one token per row. Hugging Face transformers hides the same split inside GenerationMixin.generate (v4.44): for a
// decoder-only model the prompt is the start of each row and is prefilled; for an encoder-decoder model the encoder
// runs once (_prepare_encoder_decoder_kwargs_for_generation) and every row starts from decoder_start_token_id.
namespace Loom.Generation;

/// <summary>
/// A model that a decoding strategy drives one token at a time: decoder-only (<see cref="CausalStepDecoder"/>) or
/// encoder-decoder (<see cref="Seq2SeqStepDecoder"/>).
/// </summary>
public interface IStepDecoder
{
    /// <summary>V, the width of every logits row.</summary>
    int VocabSize { get; }

    /// <summary>
    /// The token rows (one per input of <paramref name="prompts"/>, equal width) that generation extends: the prompt itself
    /// for a decoder-only model, the decoder start token for an encoder-decoder model. Processors and length limits count
    /// from these rows.
    /// </summary>
    int[][] StartRows(PromptBatch prompts);

    /// <summary>
    /// Starts decoding <paramref name="prompts"/> with every input repeated <paramref name="copies"/> times (session row r
    /// belongs to input r / copies, as HF _expand_inputs_for_generation lays beams out) and returns the session with the
    /// next-token logits of every row (rows·V, row-major; see <see cref="IDecodingSession.Step"/> for their lifetime). With <paramref name="cacheCapacity"/> every self-attention KV
    /// cache of the session is preallocated for that many positions per row (start row included; HF StaticCache) and
    /// never reallocated, and a longer run throws <see cref="Loom.Nn.KvCacheOverflowException"/>; null: the caches grow.
    /// </summary>
    (IDecodingSession Session, float[] Logits) Begin(PromptBatch prompts, int copies, int? cacheCapacity = null);
}
