// Runs an encoder-decoder LM on Hugging Face fixture inputs (shared/fixtures/hf/README.md §3.3–3.4) and returns HF's
// Seq2SeqLMOutput names: logits, encoder_/decoder_last_hidden_state, encoder_/decoder_hidden_states (L + 1, B, T, C),
// encoder_/decoder_attentions and cross_attentions (L, B, H, T, S), loss and derived_decoder_input_ids.
using Loom.Core;
using Loom.Models.Conformance;

namespace Loom.Models.Seq2Seq;

/// <summary>An <see cref="ISeq2SeqLm"/> behind <see cref="IFixtureModel"/>.</summary>
public class Seq2SeqFixtureModel : IFixtureModel
{
    private static readonly string[] KnownInputs = ["input_ids", "attention_mask", "decoder_input_ids", "decoder_attention_mask", "labels"];

    /// <summary>Wraps <paramref name="model"/>.</summary>
    public Seq2SeqFixtureModel(ISeq2SeqLm model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
    }

    /// <summary>The wrapped model.</summary>
    public ISeq2SeqLm Model { get; }

    /// <inheritdoc/>
    public string Architecture => Model.Architecture;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, Tensor> Run(IReadOnlyDictionary<string, IntTensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var unknown = inputs.Keys.Where(k => !KnownInputs.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"{Architecture}: unexpected input(s) {string.Join(", ", unknown)}; expected some of {string.Join(", ", KnownInputs)}.", nameof(inputs));
        }

        var ids = inputs.TryGetValue("input_ids", out var found) ? found : throw new ArgumentException($"{Architecture}: input_ids is required.", nameof(inputs));
        using var noGrad = Tensor.NoGrad();
        var output = Seq2SeqLm.Forward(Model, ids, inputs.GetValueOrDefault("attention_mask"), inputs.GetValueOrDefault("decoder_input_ids"),
            inputs.GetValueOrDefault("decoder_attention_mask"), inputs.GetValueOrDefault("labels"), outputAttentions: true, outputHiddenStates: true);
        var result = new Dictionary<string, Tensor>
        {
            ["logits"] = output.Decoder.Logits,
            ["encoder_last_hidden_state"] = output.Encoder.LastHiddenState,
            ["decoder_last_hidden_state"] = output.Decoder.LastHiddenState,
            ["encoder_hidden_states"] = Tensor.Stack([.. output.Encoder.HiddenStates!], 0), // (L + 1, B, S, C)
            ["decoder_hidden_states"] = Tensor.Stack([.. output.Decoder.HiddenStates!], 0), // (L + 1, B, T, C)
            ["encoder_attentions"] = Tensor.Stack([.. output.Encoder.Attentions!], 0), // (L, B, H, S, S)
            ["decoder_attentions"] = Tensor.Stack([.. output.Decoder.Attentions!], 0), // (L, B, H, T, T)
            ["cross_attentions"] = Tensor.Stack([.. output.Decoder.CrossAttentions!], 0), // (L, B, H, T, S)
        };
        if (output.Loss is not null)
        {
            result["loss"] = output.Loss;
        }

        if (!inputs.ContainsKey("decoder_input_ids"))
        {
            result["derived_decoder_input_ids"] = output.DecoderInputIds.ToFloat();
        }

        return result;
    }
}
