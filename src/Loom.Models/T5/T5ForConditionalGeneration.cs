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
    private readonly Weights _weights;
    private readonly Embedding _shared;
    private readonly T5Stack _encoder;
    private readonly T5Stack _decoder;
    private readonly Linear? _lmHead;
    private readonly Dictionary<string, string> _tied;

    /// <summary>Binds <c>shared</c>, <c>encoder</c>, <c>decoder</c> and, when untied, <c>lm_head</c>.</summary>
    public T5ForConditionalGeneration(Weights weights, T5Config config)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        if (config.Heads <= 0 || config.DKv <= 0 || config.RelativeAttentionNumBuckets < 2)
        {
            throw new ModelLoadException($"T5 config: expected positive num_heads and d_kv and at least 2 buckets; found num_heads {config.Heads}, d_kv {config.DKv}, relative_attention_num_buckets {config.RelativeAttentionNumBuckets}.");
        }

        Config = config;
        _weights = weights;
        _shared = new Embedding(weights.Scope("shared"), config.VocabSize, config.DModel, config.NormalInit());
        _encoder = new T5Stack(weights.Scope("encoder"), config, _shared, decoder: false);
        _decoder = new T5Stack(weights.Scope("decoder"), config, _shared, decoder: true);
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

    /// <inheritdoc/>
    public string Architecture => "T5ForConditionalGeneration";

    /// <inheritdoc/>
    public int DecoderLayerCount => _decoder.LayerCount;

    /// <inheritdoc/>
    public int VocabSize => Config.VocabSize;

    /// <inheritdoc/>
    public int DecoderStartTokenId => Config.DecoderStartTokenId;

    /// <inheritdoc/>
    public int PadTokenId => Config.PadTokenId;

    /// <inheritdoc/>
    public IReadOnlyList<KeyValuePair<string, Tensor>> Parameters => _weights.Parameters;

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
        _encoder.Encode(inputIds, attentionMask, outputAttentions, outputHiddenStates);

    /// <inheritdoc/>
    public Seq2SeqDecoderOutput Decode(IntTensor decoderInputIds, Tensor encoderHiddenStates, IntTensor? encoderAttentionMask = null,
        IntTensor? decoderAttentionMask = null, Seq2SeqCache? cache = null, bool outputAttentions = false, bool outputHiddenStates = false)
    {
        var (step, memoryMask) = Seq2SeqInputs.ForDecoder(Architecture, _decoder.LayerCount, decoderInputIds, encoderHiddenStates,
            encoderAttentionMask, decoderAttentionMask, cache, outputAttentions);
        var (last, hidden, selfAttentions, crossAttentions) = _decoder.Decode(decoderInputIds, step, encoderHiddenStates, memoryMask, cache, outputHiddenStates);
        var logits = _lmHead is null
            ? _shared.Attend(last * (1f / MathF.Sqrt(Config.DModel))) // (B, T, C)·(C, V) → (B, T, V)
            : _lmHead.Forward(last); // (B, T, V)
        return new Seq2SeqDecoderOutput(logits, last, hidden, selfAttentions, crossAttentions);
    }
}
