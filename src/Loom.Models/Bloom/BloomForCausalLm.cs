// BLOOM language model (BigScience 2022) as HF BloomForCausalLM (modeling_bloom.py): word embeddings followed by
// word_embeddings_layernorm, ALiBi attention blocks (no position embeddings), final ln_f, lm_head tied to the word
// embeddings (not stored in HF checkpoints).
using Loom.Core;
using Loom.Models.Decoding;
using Loom.Nn;

namespace Loom.Models.Bloom;

/// <summary>BLOOM causal language model.</summary>
public sealed class BloomForCausalLm : ICausalLm
{
    private readonly Weights _weights;
    private readonly Embedding _tokens;
    private readonly LayerNorm _embeddingNorm;
    private readonly BloomBlock[] _blocks;
    private readonly LayerNorm _final;

    /// <summary>Binds every parameter under <paramref name="weights"/> with HF names.</summary>
    public BloomForCausalLm(Weights weights, BloomConfig config)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        if (config.Heads <= 0 || config.HiddenSize % config.Heads != 0)
        {
            throw new ModelLoadException($"BLOOM config: expected hidden_size divisible by n_head; found hidden_size {config.HiddenSize}, n_head {config.Heads}.");
        }

        Config = config;
        _weights = weights;
        var transformer = weights.Scope("transformer");
        _tokens = new Embedding(transformer.Scope("word_embeddings"), config.VocabSize, config.HiddenSize, Init.Normal(0.02f));
        _embeddingNorm = new LayerNorm(transformer.Scope("word_embeddings_layernorm"), config.HiddenSize, config.LayerNormEps);
        _blocks = [.. Enumerable.Range(0, config.Layers).Select(i => new BloomBlock(transformer.Scope("h").Scope(i), config, i))];
        _final = new LayerNorm(transformer.Scope("ln_f"), config.HiddenSize, config.LayerNormEps);
    }

    /// <summary>The configuration.</summary>
    public BloomConfig Config { get; }

    /// <inheritdoc/>
    public string Architecture => "BloomForCausalLM";

    /// <inheritdoc/>
    public int LayerCount => _blocks.Length;

    /// <inheritdoc/>
    public int VocabSize => Config.VocabSize;

    /// <inheritdoc/>
    public IReadOnlyList<KeyValuePair<string, Tensor>> Parameters => _weights.Parameters;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> TiedWeights { get; } = new Dictionary<string, string> { ["lm_head.weight"] = "transformer.word_embeddings.weight" };

    /// <summary>Loads an HF BLOOM folder.</summary>
    public static BloomForCausalLm Load(string dir)
    {
        var config = HfCheckpoint.ReadConfig<BloomConfig>(dir);
        return HfCheckpoint.Load(dir, w => new BloomForCausalLm(w, config));
    }

    /// <inheritdoc/>
    /// <remarks>ALiBi reads positions from the attention mask; <paramref name="positionIds"/> is accepted for the common signature and not used.</remarks>
    public CausalLmOutput Forward(IntTensor inputIds, IntTensor? attentionMask = null, IntTensor? positionIds = null,
        DecoderCache? cache = null, IntTensor? labels = null, bool outputAttentions = false, bool outputHiddenStates = false)
    {
        var step = DecoderStep.Create(inputIds, attentionMask, positionIds, cache, outputAttentions);
        var x = _embeddingNorm.Forward(_tokens.Forward(inputIds)); // (B, T, C)
        return DecoderStack.Run(x, _blocks, _final.Forward, _tokens.Attend, step, labels, outputHiddenStates);
    }
}
