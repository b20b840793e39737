// BERT input embeddings (Devlin et al. 2019, "BERT: Pre-training of Deep Bidirectional Transformers", §3 and figure 2;
// HF modeling_bert.BertEmbeddings): word + learned absolute position + token-type (segment) embeddings, then LayerNorm
// and, in training mode, hidden_dropout_prob.
using Loom.Core;
using Loom.Nn;

namespace Loom.Models.Bert;

/// <summary>word_embeddings + position_embeddings + token_type_embeddings → LayerNorm.</summary>
public sealed class BertEmbeddings
{
    private readonly Embedding _positions;
    private readonly Embedding _tokenTypes;
    private readonly LayerNorm _norm;
    private readonly Dropout _dropout;

    /// <summary>Binds the three tables and the LayerNorm under <paramref name="weights"/> (<c>bert.embeddings</c>).</summary>
    public BertEmbeddings(Weights weights, BertConfig config)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        Words = new Embedding(weights.Scope("word_embeddings"), config.VocabSize, config.HiddenSize, config.WeightInit);
        _positions = new Embedding(weights.Scope("position_embeddings"), config.MaxPositionEmbeddings, config.HiddenSize, config.WeightInit);
        _tokenTypes = new Embedding(weights.Scope("token_type_embeddings"), config.TypeVocabSize, config.HiddenSize, config.WeightInit);
        _norm = new LayerNorm(weights.Scope("LayerNorm"), config.HiddenSize, config.LayerNormEps);
        _dropout = new Dropout(weights, config.HiddenDropoutProb);
    }

    /// <summary>The word table (V, C), shared with the masked-LM decoder.</summary>
    public Embedding Words { get; }

    /// <summary>ids (B, T), token types (B, T) or null for all zeros → (B, T, C). Positions are 0 … T − 1.</summary>
    public Tensor Forward(IntTensor inputIds, IntTensor? tokenTypeIds)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        int b = inputIds.Shape[0], t = inputIds.Shape[1];
        if (t > _positions.Count)
        {
            throw new TensorShapeException($"BERT embeddings: sequence length {t} exceeds max_position_embeddings {_positions.Count}.");
        }

        var types = tokenTypeIds ?? IntTensor.Zeros(b, t);
        if (!types.Shape.SequenceEqual(inputIds.Shape))
        {
            throw new TensorShapeException($"BERT embeddings: expected token_type_ids [{b}, {t}] like input_ids; found [{string.Join(", ", types.Shape)}].");
        }

        var x = Words.Forward(inputIds) + _tokenTypes.Forward(types); // (B, T, C)
        x += _positions.Forward(IntTensor.Arange(t).Reshape(1, t)); // (B, T, C) + (1, T, C)
        return _dropout.Forward(_norm.Forward(x)); // (B, T, C)
    }
}
