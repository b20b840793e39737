// The masked-LM prediction head (Devlin et al. 2019 §3.1 task 1; HF modeling_bert.BertLMPredictionHead): transform
// dense → act → LayerNorm, then a decoder whose weight is the word embedding table (tied, absent from HF checkpoints)
// and whose bias is cls.predictions.bias.
using Loom.Core;
using Loom.Nn;

namespace Loom.Models.Bert;

/// <summary><c>cls.predictions</c>: (B, T, C) → (B, T, V) token logits.</summary>
public sealed class BertLmPredictionHead
{
    private readonly Linear _transform;
    private readonly Activation _activation;
    private readonly LayerNorm _norm;
    private readonly Embedding _words;
    private readonly Tensor _bias;

    /// <summary>Binds <c>transform.dense</c>, <c>transform.LayerNorm</c> and <c>bias</c>; the decoder weight is <paramref name="words"/>.</summary>
    public BertLmPredictionHead(Weights weights, BertConfig config, Embedding words)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(words);
        _transform = config.Dense(weights.Scope("transform.dense"), config.HiddenSize, config.HiddenSize);
        _activation = Activations.FromHfName(config.HiddenAct);
        _norm = new LayerNorm(weights.Scope("transform.LayerNorm"), config.HiddenSize, config.LayerNormEps);
        _words = words;
        _bias = weights.Get("bias", [config.VocabSize], Init.Zeros);
    }

    /// <summary>HF state-dict keys of this head that are tied to other parameters, relative to its scope's parent.</summary>
    public static IReadOnlyDictionary<string, string> TiedKeys(string bertPrefix, string headPrefix) => new Dictionary<string, string>
    {
        [$"{headPrefix}.decoder.weight"] = $"{bertPrefix}embeddings.word_embeddings.weight",
        [$"{headPrefix}.decoder.bias"] = $"{headPrefix}.bias",
    };

    /// <summary>(B, T, C) → (B, T, V).</summary>
    public Tensor Forward(Tensor x)
    {
        var h = _norm.Forward(_activation.Apply(_transform.Forward(x))); // (B, T, C)
        return _words.Attend(h) + _bias; // (B, T, C)·(C, V) → (B, T, V)
    }
}
