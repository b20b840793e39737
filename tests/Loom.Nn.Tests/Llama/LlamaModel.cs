// LLaMA causal LM (Touvron et al. 2023) as HF LlamaForCausalLM: token embedding, decoder layers, final RMSNorm and an
// untied (or tied, per config) output head.
using Loom.Core;
using Loom.Nn.Tests.Fixtures;

namespace Loom.Nn.Tests.Llama;

internal sealed class LlamaModel : ITrainableModel
{
    private readonly Embedding _tokens;
    private readonly LlamaBlock[] _blocks;
    private readonly RmsNorm _norm;
    private readonly Linear? _head;

    public LlamaModel(Weights weights, LlamaConfig config)
    {
        Weights = weights;
        var model = weights.Scope("model");
        _tokens = new Embedding(model.Scope("embed_tokens"), config.VocabSize, config.Channels, Init.Normal(0.02f));
        _blocks = [.. Enumerable.Range(0, config.Layers).Select(i => new LlamaBlock(model.Scope("layers").Scope(i), config))];
        _norm = new RmsNorm(model.Scope("norm"), config.Channels, config.RmsNormEps);
        _head = config.TieWordEmbeddings ? null : new Linear(weights.Scope("lm_head"), config.Channels, config.VocabSize, bias: false);
    }

    public Weights Weights { get; }

    /// <summary>ids (B, T), attention mask (B, T) or null → logits (B, T, V).</summary>
    public Tensor Forward(IntTensor ids, IntTensor? attentionMask)
    {
        var x = _tokens.Forward(ids); // (B, T, C)
        var padding = attentionMask is null ? null : AttentionMasks.Padding(attentionMask); // (B, 1, 1, T)
        foreach (var block in _blocks)
        {
            x = block.Forward(x, padding);
        }

        x = _norm.Forward(x);
        return _head is null ? _tokens.Attend(x) : _head.Forward(x); // (B, T, V)
    }

    public Tensor Loss(TrainBatch batch) => Losses.CausalLmCrossEntropy(Forward(batch.InputIds, batch.AttentionMask), batch.Labels);
}
