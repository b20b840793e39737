// BERT masked language model (Devlin et al. 2019) as HF BertForMaskedLM: word + position + token-type embeddings with
// LayerNorm, post-norm encoder layers, and the prediction head dense → act → LayerNorm → tied decoder + bias.
using Loom.Core;
using Loom.Nn.Tests.Fixtures;

namespace Loom.Nn.Tests.Bert;

internal sealed class BertMaskedLm : ITrainableModel
{
    private readonly Embedding _words;
    private readonly LearnedPositions _positions;
    private readonly Embedding _tokenTypes;
    private readonly LayerNorm _embeddingNorm;
    private readonly BertLayer[] _layers;
    private readonly Linear _transform;
    private readonly Activation _activation;
    private readonly LayerNorm _transformNorm;
    private readonly Tensor _decoderBias;

    public BertMaskedLm(Weights weights, BertConfig config)
    {
        Weights = weights;
        var (c, embeddings) = (config.Channels, weights.Scope("bert.embeddings"));
        _words = new Embedding(embeddings.Scope("word_embeddings"), config.VocabSize, c);
        _positions = new LearnedPositions(embeddings.Scope("position_embeddings"), config.Positions, c);
        _tokenTypes = new Embedding(embeddings.Scope("token_type_embeddings"), config.TypeVocabSize, c);
        _embeddingNorm = new LayerNorm(embeddings.Scope("LayerNorm"), c, config.LayerNormEps);
        _layers = [.. Enumerable.Range(0, config.Layers).Select(i => new BertLayer(weights.Scope("bert.encoder.layer").Scope(i), config))];
        var head = weights.Scope("cls.predictions");
        _transform = new Linear(head.Scope("transform.dense"), c, c);
        _activation = Activations.FromHfName(config.HiddenAct);
        _transformNorm = new LayerNorm(head.Scope("transform.LayerNorm"), c, config.LayerNormEps);
        _decoderBias = head.Get("bias", [config.VocabSize], Init.Zeros);
    }

    public Weights Weights { get; }

    /// <summary>ids, token types and attention mask (B, T) → logits (B, T, V).</summary>
    public Tensor Forward(IntTensor ids, IntTensor? tokenTypes, IntTensor? attentionMask)
    {
        var (b, t) = (ids.Shape[0], ids.Shape[1]);
        var x = _words.Forward(ids) + _positions.Forward(t) + _tokenTypes.Forward(tokenTypes ?? IntTensor.Zeros(b, t)); // (B, T, C)
        x = _embeddingNorm.Forward(x);
        var padding = attentionMask is null ? null : AttentionMasks.Padding(attentionMask); // (B, 1, 1, T)
        foreach (var layer in _layers)
        {
            x = layer.Forward(x, padding);
        }

        var h = _transformNorm.Forward(_activation.Apply(_transform.Forward(x))); // (B, T, C)
        return _words.Attend(h) + _decoderBias; // (B, T, V)
    }

    public Tensor Loss(TrainBatch batch)
    {
        var logits = Forward(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask); // (B, T, V)
        var (b, t, v) = (logits.Size(0), logits.Size(1), logits.Size(2));
        return Losses.CrossEntropy(logits.Reshape(b * t, v), batch.Labels.Reshape(b * t)); // (B·T, V) vs (B·T)
    }
}
