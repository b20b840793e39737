using Loom.Core;

namespace Loom.Models.Conformance;

/// <summary>
/// A model loaded from a Hugging Face fixture folder (see <c>shared/fixtures/hf/README.md</c>) that runs the
/// fixture's named inputs and returns its outputs under Hugging Face's names, so that one generic runner
/// (<c>loom conformance DIR</c> and the test suite) can compare them with <c>expected_*.json</c>.
/// </summary>
/// <remarks>
/// Input names are those of <c>inputs.json</c> (<c>input_ids</c>, <c>attention_mask</c>, <c>token_type_ids</c>,
/// <c>decoder_input_ids</c>, <c>labels</c>, <c>start_positions</c>, …). Output names and shapes are those of
/// <c>expected_forward.json</c> / <c>expected_loss.json</c>: <c>logits</c>, <c>last_hidden_state</c>,
/// <c>hidden_states</c> stacked as (L+1, B, T, C), <c>attentions</c> stacked as (L, B, H, T, T), <c>loss</c> as a
/// scalar tensor, and so on.
/// </remarks>
public interface IFixtureModel
{
    /// <summary>The Hugging Face architecture this model implements, e.g. <c>GPT2LMHeadModel</c>.</summary>
    string Architecture { get; }

    /// <summary>Runs one forward pass (no gradient) and returns every output the architecture produces.</summary>
    IReadOnlyDictionary<string, Tensor> Run(IReadOnlyDictionary<string, IntTensor> inputs);
}
