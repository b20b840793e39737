using Loom.Core;
using Loom.Models.Conformance;

namespace Loom.Models.Decoding;

/// <summary>
/// Runs a decoder-only model on fixture inputs (<c>input_ids</c>, <c>attention_mask</c>, <c>labels</c>) and returns
/// HF's outputs: <c>logits</c>, <c>last_hidden_state</c>, <c>hidden_states</c> (L + 1, B, T, C),
/// <c>attentions</c> (L, B, H, T, T) and, with labels, <c>loss</c>.
/// </summary>
public class CausalLmFixtureModel : IFixtureModel
{
    private static readonly string[] KnownInputs = ["input_ids", "attention_mask", "labels"];

    /// <summary>Wraps <paramref name="model"/>.</summary>
    public CausalLmFixtureModel(ICausalLm model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
    }

    /// <summary>The wrapped model.</summary>
    public ICausalLm Model { get; }

    /// <inheritdoc/>
    public string Architecture => Model.Architecture;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, Tensor> Run(IReadOnlyDictionary<string, IntTensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var unknown = inputs.Keys.Where(k => !KnownInputs.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"{Architecture}: unexpected input(s) {string.Join(", ", unknown)}; expected {string.Join(", ", KnownInputs)}.", nameof(inputs));
        }

        var ids = inputs.TryGetValue("input_ids", out var found) ? found : throw new ArgumentException($"{Architecture}: input_ids is required.", nameof(inputs));
        using var noGrad = Tensor.NoGrad();
        var output = Model.Forward(ids, inputs.GetValueOrDefault("attention_mask"), labels: inputs.GetValueOrDefault("labels"),
            outputAttentions: true, outputHiddenStates: true);
        var result = new Dictionary<string, Tensor>
        {
            ["logits"] = output.Logits,
            ["last_hidden_state"] = output.LastHiddenState,
            ["hidden_states"] = Tensor.Stack([.. output.HiddenStates!], 0), // (L + 1, B, T, C)
            ["attentions"] = Tensor.Stack([.. output.Attentions!], 0), // (L, B, H, T, T)
        };
        if (output.Loss is not null)
        {
            result["loss"] = output.Loss;
        }

        return result;
    }
}
