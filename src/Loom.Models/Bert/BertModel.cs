// The BERT encoder (Devlin et al. 2019; HF modeling_bert.BertModel): embeddings, L post-norm layers with a padding mask
// built from attention_mask (0 → finfo(float32).min, as get_extended_attention_mask), and the optional pooler
// tanh(dense(h[:, 0])). Dropout (hidden_dropout_prob, attention_probs_dropout_prob) acts in training mode only.
using Loom.Core;
using Loom.Nn;

namespace Loom.Models.Bert;

/// <summary>BERT body shared by every head (HF prefix <c>bert.</c>, or none for a bare BertModel checkpoint).</summary>
public sealed class BertModel
{
    private readonly BertLayer[] _layers;
    private readonly Linear? _pooler;

    /// <summary>Binds <c>embeddings</c>, <c>encoder.layer.i</c> and, with <paramref name="addPoolingLayer"/>, <c>pooler.dense</c>.</summary>
    public BertModel(Weights weights, BertConfig config, bool addPoolingLayer)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        Embeddings = new BertEmbeddings(weights.Scope("embeddings"), config);
        _layers = [.. Enumerable.Range(0, config.Layers).Select(i => new BertLayer(weights.Scope("encoder.layer").Scope(i), config))];
        _pooler = addPoolingLayer ? config.Dense(weights.Scope("pooler.dense"), config.HiddenSize, config.HiddenSize) : null;
    }

    /// <summary>The configuration.</summary>
    public BertConfig Config { get; }

    /// <summary>The input embeddings (their word table is tied to the masked-LM decoder).</summary>
    public BertEmbeddings Embeddings { get; }

    /// <summary>
    /// input_ids (B, T); attention_mask (B, T) of 1 = token, 0 = padding (default all ones); token_type_ids (B, T)
    /// (default zeros).
    /// </summary>
    public BertOutput Forward(IntTensor inputIds, IntTensor? attentionMask = null, IntTensor? tokenTypeIds = null,
        bool outputAttentions = false, bool outputHiddenStates = false)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        if (inputIds.Rank != 2 || inputIds.Shape[1] == 0)
        {
            throw new TensorShapeException($"BERT: expected input_ids (B, T) with T > 0; found [{string.Join(", ", inputIds.Shape)}].");
        }

        if (attentionMask is not null && !attentionMask.Shape.SequenceEqual(inputIds.Shape))
        {
            throw new TensorShapeException($"BERT: expected attention_mask [{string.Join(", ", inputIds.Shape)}] like input_ids; found [{string.Join(", ", attentionMask.Shape)}].");
        }

        var mask = attentionMask is null ? Tensor.Zeros(1, 1, 1, inputIds.Shape[1]) : AttentionMasks.Padding(attentionMask); // (B, 1, 1, T)
        var x = Embeddings.Forward(inputIds, tokenTypeIds); // (B, T, C)
        var hidden = outputHiddenStates ? new List<Tensor>(_layers.Length + 1) { x } : null;
        var attentions = outputAttentions ? new List<Tensor>(_layers.Length) : null;
        foreach (var layer in _layers)
        {
            x = layer.Forward(x, mask, outputAttentions, out var probabilities); // (B, T, C)
            hidden?.Add(x);
            if (probabilities is not null)
            {
                attentions?.Add(probabilities);
            }
        }

        Tensor? pooled = null;
        if (_pooler is not null)
        {
            pooled = _pooler.Forward(x.Narrow(1, 0, 1).Squeeze(1)).Tanh(); // (B, C): the [CLS] position
        }

        return new BertOutput(x, pooled, hidden, attentions);
    }
}
