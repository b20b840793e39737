// LLaMA language model (Touvron et al. 2023, "LLaMA: Open and Efficient Foundation Language Models") as HF
// LlamaForCausalLM (modeling_llama.py): token embedding, pre-norm RMSNorm blocks with rotary attention and SwiGLU,
// final RMSNorm, lm_head (separate, or tied to the embedding with tie_word_embeddings). Qwen2ForCausalLM is the same
// graph with q/k/v biases (see Qwen2Config).
using Loom.Core;
using Loom.Kernels;
using Loom.Models.Decoding;
using Loom.Nn;

namespace Loom.Models.Llama;

/// <summary>LLaMA / Qwen2 causal language model.</summary>
public sealed class LlamaForCausalLm : ICausalLm
{
    private readonly Weights _weights;
    private readonly Embedding _tokens;
    private readonly LlamaBlock[] _blocks;
    private readonly RmsNorm _final;
    private readonly Linear? _head;

    /// <summary>Binds every parameter under <paramref name="weights"/> with HF names.</summary>
    public LlamaForCausalLm(Weights weights, LlamaConfig config)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        _weights = weights;
        var model = weights.Scope("model");
        var rotary = new RotaryPositions(config.HeadDim, config.RopeTheta, config.RopeLayout);
        _tokens = new Embedding(model.Scope("embed_tokens"), config.VocabSize, config.HiddenSize, Init.Normal(0.02f));
        _blocks = [.. Enumerable.Range(0, config.Layers).Select(i => new LlamaBlock(model.Scope("layers").Scope(i), config, i, rotary))];
        _final = new RmsNorm(model.Scope("norm"), config.HiddenSize, config.RmsNormEps);
        _head = config.TieWordEmbeddings ? null : new Linear(weights.Scope("lm_head"), config.HiddenSize, config.VocabSize, bias: false);
        TiedWeights = config.TieWordEmbeddings
            ? new Dictionary<string, string> { ["lm_head.weight"] = "model.embed_tokens.weight" }
            : new Dictionary<string, string>();
    }

    /// <summary>The configuration.</summary>
    public LlamaConfig Config { get; }

    /// <inheritdoc/>
    public string Architecture => Config.Architecture;

    /// <inheritdoc/>
    public int LayerCount => _blocks.Length;

    /// <inheritdoc/>
    public int VocabSize => Config.VocabSize;

    /// <inheritdoc/>
    public IReadOnlyList<KeyValuePair<string, Tensor>> Parameters => _weights.Parameters;

    /// <summary>Matrices kept quantised (Q8_0 / Q4_0 from a GGUF file; inference only), not in <see cref="Parameters"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, QuantizedMatrix>> QuantizedParameters => _weights.QuantizedParameters;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> TiedWeights { get; }

    /// <summary>
    /// The <see cref="QuantizedMatrix.Activations"/> setting of every matrix in <see cref="QuantizedParameters"/>:
    /// <see cref="QuantizedActivations.Int8"/> makes decoding faster and its logits no longer those of the dequantised
    /// model. Reading it gives the setting of the first quantised matrix (<see cref="QuantizedActivations.Float32"/> if none).
    /// </summary>
    public QuantizedActivations QuantizedActivations
    {
        get => QuantizedParameters.Count > 0 ? QuantizedParameters[0].Value.Activations : QuantizedActivations.Float32;
        set
        {
            foreach (var (_, matrix) in QuantizedParameters)
            {
                matrix.Activations = value;
            }
        }
    }

    /// <summary>Loads an HF LLaMA folder.</summary>
    public static LlamaForCausalLm Load(string dir) => Load(dir, HfCheckpoint.ReadConfig<LlamaConfig>(dir));

    /// <summary>Loads an HF folder with an already-read configuration (LLaMA or a subclass such as Qwen2's).</summary>
    public static LlamaForCausalLm Load(string dir, LlamaConfig config) => HfCheckpoint.Load(dir, w => new LlamaForCausalLm(w, config));

    /// <inheritdoc/>
    public CausalLmOutput Forward(IntTensor inputIds, IntTensor? attentionMask = null, IntTensor? positionIds = null,
        DecoderCache? cache = null, IntTensor? labels = null, bool outputAttentions = false, bool outputHiddenStates = false)
    {
        var step = DecoderStep.Create(inputIds, attentionMask, positionIds, cache, outputAttentions);
        var x = _tokens.Forward(inputIds); // (B, T, C)
        return DecoderStack.Run(x, _blocks, _final.Forward, h => _head is null ? _tokens.Attend(h) : _head.Forward(h), step, labels, outputHiddenStates);
    }
}
