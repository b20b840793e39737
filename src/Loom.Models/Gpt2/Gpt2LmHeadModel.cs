// GPT-2 language model (Radford et al. 2019) as HF GPT2LMHeadModel (modeling_gpt2.py): token + learned position
// embeddings, pre-norm blocks, final layer norm ln_f, output head tied to the token embedding (lm_head.weight is
// not stored in HF checkpoints). In training mode embd_pdrop drops the summed embeddings (and the blocks their
// attn_pdrop / resid_pdrop); eval mode, the default, has no dropout.
using Loom.Core;
using Loom.Models.Decoding;
using Loom.Nn;

namespace Loom.Models.Gpt2;

/// <summary>GPT-2 with its tied language-model head.</summary>
public sealed class Gpt2LmHeadModel : ICausalLm
{
    private readonly Weights _weights;
    private readonly Embedding _tokens;
    private readonly Embedding _positions;
    private readonly Gpt2Block[] _blocks;
    private readonly LayerNorm _final;
    private readonly Dropout _embeddingDropout;

    /// <summary>Binds every parameter under <paramref name="weights"/> with HF names.</summary>
    public Gpt2LmHeadModel(Weights weights, Gpt2Config config)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        if (config.Heads <= 0 || config.Channels % config.Heads != 0)
        {
            throw new ModelLoadException($"GPT-2 config: expected n_embd divisible by n_head; found n_embd {config.Channels}, n_head {config.Heads}.");
        }

        Config = config;
        _weights = weights;
        var transformer = weights.Scope("transformer");
        _tokens = new Embedding(transformer.Scope("wte"), config.VocabSize, config.Channels, Init.Normal(0.02f));
        _positions = new Embedding(transformer.Scope("wpe"), config.Positions, config.Channels, Init.Normal(0.01f));
        _blocks = [.. Enumerable.Range(0, config.Layers).Select(i => new Gpt2Block(transformer.Scope("h").Scope(i), config, i))];
        _final = new LayerNorm(transformer.Scope("ln_f"), config.Channels, config.LayerNormEps);
        _embeddingDropout = new Dropout(weights, config.EmbeddingDropout);
    }

    /// <summary>The configuration.</summary>
    public Gpt2Config Config { get; }

    /// <inheritdoc/>
    public string Architecture => "GPT2LMHeadModel";

    /// <inheritdoc/>
    public int LayerCount => _blocks.Length;

    /// <inheritdoc/>
    public int VocabSize => Config.VocabSize;

    /// <inheritdoc/>
    public IReadOnlyList<KeyValuePair<string, Tensor>> Parameters => _weights.Parameters;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> TiedWeights { get; } = new Dictionary<string, string> { ["lm_head.weight"] = "transformer.wte.weight" };

    /// <summary>Loads an HF GPT-2 folder.</summary>
    public static Gpt2LmHeadModel Load(string dir)
    {
        var config = HfCheckpoint.ReadConfig<Gpt2Config>(dir);
        return HfCheckpoint.Load(dir, w => new Gpt2LmHeadModel(w, config));
    }

    /// <inheritdoc/>
    public CausalLmOutput Forward(IntTensor inputIds, IntTensor? attentionMask = null, IntTensor? positionIds = null,
        DecoderCache? cache = null, IntTensor? labels = null, bool outputAttentions = false, bool outputHiddenStates = false)
    {
        var step = DecoderStep.Create(inputIds, attentionMask, positionIds, cache, outputAttentions);
        var x = _embeddingDropout.Forward(_tokens.Forward(inputIds) + _positions.Forward(step.PositionIds)); // (B, T, C)
        return DecoderStack.Run(x, _blocks, _final.Forward, _tokens.Attend, step, labels, outputHiddenStates);
    }
}
