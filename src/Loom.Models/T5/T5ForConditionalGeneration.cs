// T5 and T5 v1.1 for text-to-text generation (Raffel et al. 2020; HF modeling_t5.T5ForConditionalGeneration): shared
// embedding (tied to both stacks; encoder/decoder.embed_tokens are left out of HF files), encoder, decoder, and the
// head: with tie_word_embeddings the decoder output is scaled by d_model^−½ and multiplied by the shared table
// (lm_head.weight also left out), otherwise a separate lm_head without rescaling (T5 v1.1).
using Loom.Core;
using Loom.Models.Decoding;
using Loom.Models.Seq2Seq;
using Loom.Nn;

namespace Loom.Models.T5;

/// <summary>T5ForConditionalGeneration with an incremental decoder.</summary>
public sealed class T5ForConditionalGeneration : ISeq2SeqLm
{
    private readonly Linear? _lmHead;
    private readonly Dictionary<string, string> _tied;

    /// <summary>Binds <c>shared</c>, <c>encoder</c>, <c>decoder</c> and, when untied, <c>lm_head</c>.</summary>
    public T5ForConditionalGeneration(Weights weights, T5Config config)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        Model = new T5Model(weights, config, Architecture);
        _tied = new Dictionary<string, string>
        {
            ["encoder.embed_tokens.weight"] = "shared.weight",
            ["decoder.embed_tokens.weight"] = "shared.weight",
        };
        if (config.TieWordEmbeddings)
        {
            _tied["lm_head.weight"] = "shared.weight";
        }
        else
        {
            _lmHead = new Linear(weights.Scope("lm_head"), config.DModel, config.VocabSize, bias: false, weightInit: config.NormalInit());
        }
    }

    /// <summary>The configuration.</summary>
    public T5Config Config { get; }

    /// <summary>The bare encoder-decoder (same parameter names: T5 has no task prefix).</summary>
    public T5Model Model { get; }

    /// <inheritdoc/>
    public string Architecture => "T5ForConditionalGeneration";

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
    public IReadOnlyDictionary<string, string> TiedWeights => _tied;

    /// <summary>Loads an HF T5 folder.</summary>
    public static T5ForConditionalGeneration Load(string dir)
    {
        var config = HfCheckpoint.ReadConfig<T5Config>(dir);
        HfCheckpoint.RequireArchitecture(dir, config.Architectures, "T5ForConditionalGeneration");

        return HfCheckpoint.Load(dir, w => new T5ForConditionalGeneration(w, config));
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
        var logits = _lmHead is null
            ? Model.Shared.Attend(last * (1f / MathF.Sqrt(Config.DModel))) // (B, T, C)·(C, V) → (B, T, V)
            : _lmHead.Forward(last); // (B, T, V)
        return new Seq2SeqDecoderOutput(logits, last, hidden, selfAttentions, crossAttentions);
    }
}
