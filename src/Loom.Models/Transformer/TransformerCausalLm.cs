// A decoder-only TransformerModel as an ICausalLm, the interface the generation layer drives (greedy, beam, sampling):
// the decoder runs with a DecoderStep (causal + padding mask over cached and new keys, HF position ids), so sinusoidal
// and learned positions are read at each row's positions, rotary rotates by them and ALiBi biases over the cached length.
using Loom.Core;
using Loom.Models.Decoding;
using Loom.Nn;

namespace Loom.Models.Transformer;

/// <summary>The causal-LM view of a <see cref="TransformerKind.DecoderOnly"/> <see cref="TransformerModel"/>.</summary>
public sealed class TransformerCausalLm : ICausalLm
{
    private readonly TransformerModel _model;

    /// <summary>Wraps <paramref name="model"/>, which must be decoder-only.</summary>
    public TransformerCausalLm(TransformerModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Config.Kind != TransformerKind.DecoderOnly)
        {
            throw new ArgumentException($"TransformerCausalLm: expected a decoder-only model; found {model.Config.Kind}.", nameof(model));
        }

        _model = model;
        TiedWeights = model.Config.TieEmbeddings
            ? new Dictionary<string, string> { ["lm_head.weight"] = "embed_tokens.weight" }
            : new Dictionary<string, string>();
    }

    /// <inheritdoc/>
    public string Architecture => "TransformerForCausalLM";

    /// <inheritdoc/>
    public int LayerCount => _model.Decoder!.LayerCount;

    /// <inheritdoc/>
    public int VocabSize => _model.Config.VocabSize;

    /// <inheritdoc/>
    public IReadOnlyList<KeyValuePair<string, Tensor>> Parameters => _model.Parameters;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> TiedWeights { get; }

    /// <inheritdoc/>
    public CausalLmOutput Forward(IntTensor inputIds, IntTensor? attentionMask = null, IntTensor? positionIds = null,
        DecoderCache? cache = null, IntTensor? labels = null, bool outputAttentions = false, bool outputHiddenStates = false)
    {
        var step = DecoderStep.Create(inputIds, attentionMask, positionIds, cache, outputAttentions);
        var context = TransformerStep.Create(_model.Config, step.Mask, step.PositionIds, cache, outputAttentions: outputAttentions);
        var output = _model.Decoder!.Run(_model.Embed(inputIds, step.PositionIds), context, outputHiddenStates); // (B, T, C)
        var logits = _model.Logits(output.Last); // (B, T, V)
        return new CausalLmOutput(logits, output.Last, output.HiddenStates, output.SelfAttentions,
            labels is null ? null : Losses.CausalLmCrossEntropy(logits, labels));
    }
}
