// BART for sequence-to-sequence generation (Lewis et al. 2020; HF modeling_bart.BartForConditionalGeneration): the
// shared token embedding (model.shared, tied to both stacks and to lm_head, which HF leaves out of the file), encoder,
// decoder, logits = lm_head(decoder output) + final_logits_bias.
using Loom.Core;
using Loom.Models.Decoding;
using Loom.Models.Seq2Seq;
using Loom.Nn;

namespace Loom.Models.Bart;

/// <summary>BartForConditionalGeneration with an incremental decoder.</summary>
public sealed class BartForConditionalGeneration : ISeq2SeqLm
{
    private readonly Tensor _finalLogitsBias;

    /// <summary>Binds <c>model.shared</c>, <c>model.encoder</c>, <c>model.decoder</c> and <c>final_logits_bias</c>.</summary>
    public BartForConditionalGeneration(Weights weights, BartConfig config)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        Model = new BartModel(weights.Scope("model"), config, Architecture);
        _finalLogitsBias = weights.Get("final_logits_bias", [1, config.VocabSize], Init.Zeros);
        _finalLogitsBias.RequiresGrad = false; // a buffer in HF: loaded and saved with the weights, never trained
    }

    /// <summary>The configuration.</summary>
    public BartConfig Config { get; }

    /// <summary>The bare encoder-decoder under <c>model</c>.</summary>
    public BartModel Model { get; }

    /// <inheritdoc/>
    public string Architecture => "BartForConditionalGeneration";

    /// <inheritdoc/>
    public int DecoderLayerCount => Model.DecoderLayerCount;

    /// <inheritdoc/>
    public int VocabSize => Config.VocabSize;

    /// <inheritdoc/>
    public int DecoderStartTokenId => Config.DecoderStartTokenId;

    /// <inheritdoc/>
    public int PadTokenId => Config.PadTokenId;

    /// <inheritdoc/>
    public IReadOnlyList<KeyValuePair<string, Tensor>> Parameters => Model.Parameters;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> TiedWeights { get; } = new Dictionary<string, string>
    {
        ["model.encoder.embed_tokens.weight"] = "model.shared.weight",
        ["model.decoder.embed_tokens.weight"] = "model.shared.weight",
        ["lm_head.weight"] = "model.shared.weight",
    };

    /// <summary>Loads an HF BART folder.</summary>
    public static BartForConditionalGeneration Load(string dir)
    {
        var config = HfCheckpoint.ReadConfig<BartConfig>(dir);
        HfCheckpoint.RequireArchitecture(dir, config.Architectures, "BartForConditionalGeneration");

        return HfCheckpoint.Load(dir, w => new BartForConditionalGeneration(w, config));
    }

    /// <inheritdoc/>
    public EncoderOutput Encode(IntTensor inputIds, IntTensor? attentionMask = null, bool outputAttentions = false, bool outputHiddenStates = false) =>
        Model.Encode(inputIds, attentionMask, outputAttentions, outputHiddenStates);

    /// <inheritdoc/>
    public Seq2SeqDecoderOutput Decode(IntTensor decoderInputIds, Tensor encoderHiddenStates, IntTensor? encoderAttentionMask = null,
        IntTensor? decoderAttentionMask = null, Seq2SeqCache? cache = null, bool outputAttentions = false, bool outputHiddenStates = false)
    {
        var (last, hidden, selfAttentions, crossAttentions) = Model.Decode(decoderInputIds, encoderHiddenStates, encoderAttentionMask, decoderAttentionMask,
            cache, outputAttentions, outputHiddenStates);
        var logits = Model.Shared.Attend(last) + _finalLogitsBias; // (B, T, V) + (1, V)
        return new Seq2SeqDecoderOutput(logits, last, hidden, selfAttentions, crossAttentions);
    }
}
