// One batch in flight between decoding steps: the model's caches plus whatever per-row state it needs (attention mask,
// encoder output). Strategies only append one token per row and, for beam search, reorder rows.
namespace Loom.Generation;

/// <summary>A batch being decoded by an <see cref="IStepDecoder"/>.</summary>
public interface IDecodingSession
{
    /// <summary>
    /// Feeds one new token per row and returns the next-token logits (rows·V, row-major), which the caller may change;
    /// the array may be reused by the session's next <see cref="Step"/> or <see cref="Reorder"/>.
    /// </summary>
    float[] Step(IReadOnlyList<int> tokens);

    /// <summary>Keeps the rows <paramref name="rows"/> (in that order): row i becomes old row rows[i] (HF _reorder_cache).</summary>
    void Reorder(IReadOnlyList<int> rows);
}
