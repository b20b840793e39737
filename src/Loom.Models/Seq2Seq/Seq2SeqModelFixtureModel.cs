// Runs a bare encoder-decoder (HF BartModel / T5Model) on Hugging Face fixture inputs and returns HF's
// Seq2SeqModelOutput names: encoder_/decoder_last_hidden_state, encoder_/decoder_hidden_states (L + 1, B, T, C),
// encoder_/decoder_attentions and cross_attentions (L, B, H, T, S). No logits and no loss: a case without
// decoder_input_ids (the loss case, which gives labels) produces nothing.
using Loom.Core;
using Loom.Models.Conformance;

namespace Loom.Models.Seq2Seq;

/// <summary>A <see cref="Seq2SeqModel"/> behind <see cref="IFixtureModel"/>.</summary>
public sealed class Seq2SeqModelFixtureModel(Seq2SeqModel model) : IFixtureModel
{
    /// <summary>The wrapped model.</summary>
    public Seq2SeqModel Model { get; } = model ?? throw new ArgumentNullException(nameof(model));

    /// <inheritdoc/>
    public string Architecture => Model.Architecture;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, Tensor> Run(IReadOnlyDictionary<string, IntTensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (!inputs.TryGetValue("decoder_input_ids", out var decoderIds))
        {
            return new Dictionary<string, Tensor>();
        }

        var ids = inputs.TryGetValue("input_ids", out var found) ? found : throw new ArgumentException($"{Architecture}: input_ids is required.", nameof(inputs));
        using var noGrad = Tensor.NoGrad();
        var output = Model.Forward(ids, decoderIds, inputs.GetValueOrDefault("attention_mask"), inputs.GetValueOrDefault("decoder_attention_mask"),
            outputAttentions: true, outputHiddenStates: true);
        return new Dictionary<string, Tensor>
        {
            ["encoder_last_hidden_state"] = output.Encoder.LastHiddenState,
            ["decoder_last_hidden_state"] = output.LastHiddenState,
            ["encoder_hidden_states"] = Tensor.Stack([.. output.Encoder.HiddenStates!], 0), // (L + 1, B, S, C)
            ["decoder_hidden_states"] = Tensor.Stack([.. output.HiddenStates!], 0), // (L + 1, B, T, C)
            ["encoder_attentions"] = Tensor.Stack([.. output.Encoder.Attentions!], 0), // (L, B, H, S, S)
            ["decoder_attentions"] = Tensor.Stack([.. output.Attentions!], 0), // (L, B, H, T, T)
            ["cross_attentions"] = Tensor.Stack([.. output.CrossAttentions!], 0), // (L, B, H, T, S)
        };
    }
}
