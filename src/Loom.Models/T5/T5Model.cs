// The bare T5 encoder-decoder (HF modeling_t5.T5Model): shared embedding, encoder and decoder stacks, returning the
// decoder's final-normed hidden state without the LM head or its d_model^−½ rescaling. T5ForConditionalGeneration puts
// its head on one.
using Loom.Models.Decoding;
using Loom.Models.Seq2Seq;
using Loom.Nn;

namespace Loom.Models.T5;

/// <summary>T5Model (<c>shared</c>, <c>encoder</c>, <c>decoder</c>).</summary>
public sealed class T5Model : Seq2SeqModel
{
    /// <summary>Binds <c>shared</c>, <c>encoder</c> and <c>decoder</c> under <paramref name="weights"/>.</summary>
    public T5Model(Weights weights, T5Config config)
        : this(weights, config, "T5Model")
    {
    }

    private T5Model(Weights weights, T5Config config, string architecture, Embedding shared)
        : base(architecture, weights, shared, new T5Stack(weights.Scope("encoder"), config, shared, decoder: false),
            new T5Stack(weights.Scope("decoder"), config, shared, decoder: true))
    {
    }

    /// <summary>The body of a task model named <paramref name="architecture"/> in messages.</summary>
    internal T5Model(Weights weights, T5Config config, string architecture)
        : this(weights, Validated(config), architecture, new Embedding(weights.Scope("shared"), config.VocabSize, config.DModel, config.NormalInit()))
    {
    }

    /// <summary>
    /// Loads an HF folder saved from T5Model or T5ForConditionalGeneration (same keys; an untied <c>lm_head.weight</c>
    /// is left unused, as HF does).
    /// </summary>
    public static T5Model Load(string dir)
    {
        var config = HfCheckpoint.ReadConfig<T5Config>(dir);
        return HfCheckpoint.LoadBase(dir, taskPrefix: null, k => k.StartsWith("lm_head.", StringComparison.Ordinal), w => new T5Model(w, config));
    }

    private static T5Config Validated(T5Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Heads <= 0 || config.DKv <= 0 || config.RelativeAttentionNumBuckets < 2)
        {
            throw new ModelLoadException($"T5 config: expected positive num_heads and d_kv and at least 2 buckets; found num_heads {config.Heads}, d_kv {config.DKv}, relative_attention_num_buckets {config.RelativeAttentionNumBuckets}.");
        }

        return config;
    }
}
