// Dropout in the model families, bound from config.json keys: off in eval mode (the default, so inference and conformance
// are unchanged), on in training mode for every key on its own, drawn from the tree's seeded generator (the same seed
// gives the same masks), and a training-mode model with every probability 0 computes exactly what eval mode does.
using Loom.Core;
using Loom.Models.Bart;
using Loom.Models.Bert;
using Loom.Models.Decoding;
using Loom.Models.Gpt2;
using Loom.Models.Llama;
using Loom.Models.Seq2Seq;
using Loom.Models.T5;
using Loom.Nn;

namespace Loom.Models.Tests.Training;

public sealed class DropoutTests
{
    private static readonly IntTensor Ids = IntTensor.FromArray([3, 9, 4, 1, 7, 2, 8, 5, 6, 1, 0, 0], 2, 6);
    private static readonly IntTensor Mask = IntTensor.FromArray([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0], 2, 6);

    /// <summary>Each family's dropout keys (HF config.json names).</summary>
    public static TheoryData<string, string> Sites => new()
    {
        { "gpt2", "embd_pdrop" }, { "gpt2", "attn_pdrop" }, { "gpt2", "resid_pdrop" },
        { "llama", "attention_dropout" },
        { "bart", "dropout" }, { "bart", "attention_dropout" }, { "bart", "activation_dropout" },
        { "t5", "dropout_rate" },
        { "bert", "hidden_dropout_prob" }, { "bert", "attention_probs_dropout_prob" }, { "bert", "classifier_dropout" },
    };

    public static TheoryData<string> Families => ["gpt2", "llama", "bart", "t5", "bert"];

    [Theory]
    [MemberData(nameof(Sites))]
    public void Each_key_drops_out_in_training_mode_only_and_the_same_seed_draws_the_same_masks(string family, string key)
    {
        var eval = Run(family, key, 0.5f, training: false);
        var trained = Run(family, key, 0.5f, training: true);
        Assert.NotEqual(eval, trained);
        Assert.Equal(trained, Run(family, key, 0.5f, training: true));
        Assert.Equal(eval, Run(family, key: null, 0f, training: false));
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Training_mode_with_every_probability_zero_equals_eval_mode(string family) =>
        Assert.Equal(Run(family, key: null, 0.5f, training: false), Run(family, key: null, 0f, training: true));

    [Theory]
    [InlineData("gpt2")]
    [InlineData("bert_mlm")]
    [InlineData("t5")]
    public void A_fixture_with_dropout_in_its_config_matches_hf_in_eval_mode_before_and_after_training_mode(string name)
    {
        var fixture = TrainFixture.Load(name);
        var model = TrainableModel.Load(fixture);
        var eval = model.Loss(fixture.Batch).Item();
        model.Weights.Training = true;
        var trained = model.Loss(fixture.Batch).Item();
        model.Weights.Training = false;
        Assert.InRange(Math.Abs(eval - fixture.Loss), 0d, 1e-5 * fixture.Loss);
        Assert.NotEqual(eval, trained);
        Assert.Equal(eval, model.Loss(fixture.Batch).Item());
    }

    [Fact]
    public void Llama_fixture_with_attention_dropout_zero_trains_exactly_as_it_evaluates()
    {
        var fixture = TrainFixture.Load("llama_gqa");
        var model = TrainableModel.Load(fixture);
        var eval = model.Loss(fixture.Batch).Item();
        model.Weights.Training = true;
        Assert.Equal(eval, model.Loss(fixture.Batch).Item());
    }

    /// <summary>Logits of a fresh tiny <paramref name="family"/> model (seed 7) with <paramref name="key"/> (or every dropout key when null) at <paramref name="p"/>, the others 0.</summary>
    private static float[] Run(string family, string? key, float p, bool training)
    {
        float P(string name) => key is null || key == name ? p : 0f;
        var weights = Weights.Initialize(new Generator(7));
        Func<Tensor> forward = family switch
        {
            "gpt2" => Causal(new Gpt2LmHeadModel(weights, new Gpt2Config
            {
                VocabSize = 16,
                Positions = 8,
                Channels = 16,
                Layers = 2,
                Heads = 2,
                EmbeddingDropout = P("embd_pdrop"),
                AttentionDropout = P("attn_pdrop"),
                ResidualDropout = P("resid_pdrop"),
            })),
            "llama" => Causal(new LlamaForCausalLm(weights, new LlamaConfig
            {
                VocabSize = 16,
                HiddenSize = 16,
                IntermediateSize = 32,
                Layers = 2,
                Heads = 4,
                KvHeadsSetting = 2,
                AttentionDropout = P("attention_dropout"),
            })),
            "bart" => Seq2Seq(new BartForConditionalGeneration(weights, new BartConfig
            {
                VocabSize = 16,
                DModel = 16,
                EncoderLayers = 1,
                DecoderLayers = 1,
                EncoderHeads = 2,
                DecoderHeads = 2,
                EncoderFfnDim = 32,
                DecoderFfnDim = 32,
                MaxPositionEmbeddings = 8,
                PadTokenId = 0,
                Dropout = P("dropout"),
                AttentionDropout = P("attention_dropout"),
                ActivationDropout = P("activation_dropout"),
            })),
            "t5" => Seq2Seq(new T5ForConditionalGeneration(weights, new T5Config
            {
                VocabSize = 16,
                DModel = 16,
                DKv = 8,
                DFf = 32,
                Layers = 1,
                Heads = 2,
                RelativeAttentionNumBuckets = 8,
                RelativeAttentionMaxDistance = 16,
                DropoutRate = P("dropout_rate"),
            })),
            "bert" => Classifier(new BertForSequenceClassification(weights, new BertConfig
            {
                VocabSize = 16,
                HiddenSize = 16,
                Layers = 2,
                Heads = 2,
                IntermediateSize = 32,
                MaxPositionEmbeddings = 8,
                HiddenDropoutProb = P("hidden_dropout_prob"),
                AttentionProbsDropoutProb = P("attention_probs_dropout_prob"),
                ClassifierDropout = P("classifier_dropout"),
            })),
            _ => throw new ArgumentException($"unknown family {family}", nameof(family)),
        };
        weights.Training = training;
        return forward().ToArray();
    }

    private static Func<Tensor> Classifier(BertForSequenceClassification model) => () => model.Forward(Ids, Mask).Logits;

    private static Func<Tensor> Causal(ICausalLm model) => () => model.Forward(Ids, Mask).Logits;

    private static Func<Tensor> Seq2Seq(ISeq2SeqLm model) => () => Seq2SeqLm.Forward(model, Ids, Mask, decoderInputIds: Ids).Decoder.Logits;
}
