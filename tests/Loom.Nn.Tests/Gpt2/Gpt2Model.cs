// GPT-2 language model (Radford et al. 2019) as HF GPT2LMHeadModel: token + learned position embeddings, pre-norm
// blocks, final layer norm, output head tied to the token embedding. Dropout is omitted: the fixtures run in eval mode.
using Loom.Core;
using Loom.Nn.Tests.Fixtures;

namespace Loom.Nn.Tests.Gpt2;

internal sealed class Gpt2Model : ITrainableModel
{
    private readonly Embedding _tokens;
    private readonly LearnedPositions _positions;
    private readonly Gpt2Block[] _blocks;
    private readonly LayerNorm _final;

    public Gpt2Model(Weights weights, Gpt2Config config)
    {
        Weights = weights;
        var transformer = weights.Scope("transformer");
        _tokens = new Embedding(transformer.Scope("wte"), config.VocabSize, config.Channels, Init.Normal(0.02f));
        _positions = new LearnedPositions(transformer.Scope("wpe"), config.Positions, config.Channels, Init.Normal(0.02f));
        _blocks = [.. Enumerable.Range(0, config.Layers).Select(i => new Gpt2Block(transformer.Scope("h").Scope(i), config))];
        _final = new LayerNorm(transformer.Scope("ln_f"), config.Channels, config.LayerNormEps);
    }

    public Weights Weights { get; }

    /// <summary>ids (B, T), attention mask (B, T) of 1/0 or null → logits (B, T, V).</summary>
    public Tensor Forward(IntTensor ids, IntTensor? attentionMask)
    {
        var t = ids.Shape[1];
        var x = _tokens.Forward(ids) + _positions.Forward(t); // (B, T, C)
        var padding = attentionMask is null ? null : AttentionMasks.Padding(attentionMask); // (B, 1, 1, T)
        foreach (var block in _blocks)
        {
            x = block.Forward(x, padding);
        }

        return _tokens.Attend(_final.Forward(x)); // (B, T, V)
    }

    public Tensor Loss(TrainBatch batch) => Losses.CausalLmCrossEntropy(Forward(batch.InputIds, batch.AttentionMask), batch.Labels);
}
