// Runs every BERT architecture on Hugging Face fixture inputs (shared/fixtures/hf/README.md §3.3–3.4) and returns HF's
// output names: logits / start_logits + end_logits / prediction_logits + seq_relationship_logits, last_hidden_state,
// pooler_output (when the model has a pooler), hidden_states (L + 1, B, T, C), attentions (L, B, H, T, T) and loss.
using Loom.Core;
using Loom.Models.Conformance;
using Loom.Models.Decoding;
using Loom.Nn;

namespace Loom.Models.Bert;

/// <summary>A BERT model of the architecture named in <c>config.json</c>, behind <see cref="IFixtureModel"/>.</summary>
public sealed class BertFixtureModel : IFixtureModel
{
    private static readonly string[] KnownInputs =
        ["input_ids", "attention_mask", "token_type_ids", "labels", "start_positions", "end_positions", "next_sentence_label"];

    private readonly Func<IReadOnlyDictionary<string, IntTensor>, Dictionary<string, Tensor>> _run;

    private BertFixtureModel(string architecture, IReadOnlyList<KeyValuePair<string, Tensor>> parameters,
        IReadOnlyDictionary<string, string> tiedWeights, Func<IReadOnlyDictionary<string, IntTensor>, Dictionary<string, Tensor>> run)
    {
        (Architecture, Parameters, TiedWeights, _run) = (architecture, parameters, tiedWeights, run);
    }

    /// <inheritdoc/>
    public string Architecture { get; }

    /// <summary>Every parameter with its checkpoint name (tied parameters appear once, under their source name).</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> Parameters { get; }

    /// <summary>State-dict keys that share another parameter (absent from HF files), e.g. the MLM decoder weight.</summary>
    public IReadOnlyDictionary<string, string> TiedWeights { get; }

    /// <summary>Loads the HF folder <paramref name="dir"/> as the first architecture listed in its config (default BertModel).</summary>
    public static BertFixtureModel Load(string dir)
    {
        var config = HfCheckpoint.ReadConfig<BertConfig>(dir);
        var architecture = config.Architectures is { Count: > 0 } listed ? listed[0] : "BertModel";
        return HfCheckpoint.Load(dir, weights => Build(architecture, weights, config));
    }

    /// <summary>Builds <paramref name="architecture"/> over <paramref name="weights"/> (a checkpoint or fresh initialisation).</summary>
    public static BertFixtureModel Build(string architecture, Weights weights, BertConfig config)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(config);
        var none = new Dictionary<string, string>();
        switch (architecture)
        {
            case "BertModel":
                var bare = new BertModel(weights, config, addPoolingLayer: true);
                return new(architecture, weights.Parameters, none, i => Outputs(bare.Forward(Ids(i), Opt(i, "attention_mask"), Opt(i, "token_type_ids"), true, true)));
            case "BertForMaskedLM":
                var mlm = new BertForMaskedLm(weights, config);
                return new(architecture, weights.Parameters, BertForMaskedLm.TiedWeights, i => Task(mlm.Forward(Ids(i), Opt(i, "attention_mask"), Opt(i, "token_type_ids"), Opt(i, "labels"), true, true)));
            case "BertForNextSentencePrediction":
                var nsp = new BertForNextSentencePrediction(weights, config);
                return new(architecture, weights.Parameters, none, i => Task(nsp.Forward(Ids(i), Opt(i, "attention_mask"), Opt(i, "token_type_ids"), Opt(i, "next_sentence_label") ?? Opt(i, "labels"), true, true)));
            case "BertForPreTraining":
                var pre = new BertForPreTraining(weights, config);
                return new(architecture, weights.Parameters, BertForPreTraining.TiedWeights, i =>
                {
                    var o = pre.Forward(Ids(i), Opt(i, "attention_mask"), Opt(i, "token_type_ids"), Opt(i, "labels"), Opt(i, "next_sentence_label"), true, true);
                    return Heads(o.Encoder, o.Loss, ("prediction_logits", o.PredictionLogits), ("seq_relationship_logits", o.SeqRelationshipLogits));
                });
            case "BertForSequenceClassification":
                var seq = new BertForSequenceClassification(weights, config);
                return new(architecture, weights.Parameters, none, i => Task(seq.Forward(Ids(i), Opt(i, "attention_mask"), Opt(i, "token_type_ids"), Opt(i, "labels"), null, true, true)));
            case "BertForTokenClassification":
                var tok = new BertForTokenClassification(weights, config);
                return new(architecture, weights.Parameters, none, i => Task(tok.Forward(Ids(i), Opt(i, "attention_mask"), Opt(i, "token_type_ids"), Opt(i, "labels"), true, true)));
            case "BertForQuestionAnswering":
                var qa = new BertForQuestionAnswering(weights, config);
                return new(architecture, weights.Parameters, none, i =>
                {
                    var o = qa.Forward(Ids(i), Opt(i, "attention_mask"), Opt(i, "token_type_ids"), Opt(i, "start_positions"), Opt(i, "end_positions"), true, true);
                    return Heads(o.Encoder, o.Loss, ("start_logits", o.StartLogits), ("end_logits", o.EndLogits));
                });
            case "BertForMultipleChoice":
                var choice = new BertForMultipleChoice(weights, config);
                return new(architecture, weights.Parameters, none, i => Task(choice.Forward(Ids(i), Opt(i, "attention_mask"), Opt(i, "token_type_ids"), Opt(i, "labels"), true, true)));
            default:
                throw new ModelLoadException($"BERT: unknown architecture '{architecture}'; expected BertModel, BertForMaskedLM, BertForNextSentencePrediction, BertForPreTraining, BertForSequenceClassification, BertForTokenClassification, BertForQuestionAnswering or BertForMultipleChoice.");
        }
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, Tensor> Run(IReadOnlyDictionary<string, IntTensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var unknown = inputs.Keys.Where(k => !KnownInputs.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"{Architecture}: unexpected input(s) {string.Join(", ", unknown)}; expected some of {string.Join(", ", KnownInputs)}.", nameof(inputs));
        }

        using var noGrad = Tensor.NoGrad();
        return _run(inputs);
    }

    private static IntTensor Ids(IReadOnlyDictionary<string, IntTensor> inputs) =>
        inputs.TryGetValue("input_ids", out var ids) ? ids : throw new ArgumentException("BERT: input_ids is required.", nameof(inputs));

    private static IntTensor? Opt(IReadOnlyDictionary<string, IntTensor> inputs, string name) => inputs.GetValueOrDefault(name);

    private static Dictionary<string, Tensor> Task(BertTaskOutput output) => Heads(output.Encoder, output.Loss, ("logits", output.Logits));

    /// <summary>The encoder outputs, then each head output by its HF name, then <c>loss</c> when there is one.</summary>
    private static Dictionary<string, Tensor> Heads(BertOutput encoded, Tensor? loss, params ReadOnlySpan<(string Name, Tensor Value)> heads)
    {
        var result = Outputs(encoded);
        foreach (var (name, value) in heads)
        {
            result[name] = value;
        }

        if (loss is not null)
        {
            result["loss"] = loss;
        }

        return result;
    }

    private static Dictionary<string, Tensor> Outputs(BertOutput encoded)
    {
        var result = new Dictionary<string, Tensor>
        {
            ["last_hidden_state"] = encoded.LastHiddenState,
            ["hidden_states"] = Tensor.Stack([.. encoded.HiddenStates!], 0), // (L + 1, B, T, C)
            ["attentions"] = Tensor.Stack([.. encoded.Attentions!], 0), // (L, B, H, T, T)
        };
        if (encoded.PoolerOutput is not null)
        {
            result["pooler_output"] = encoded.PoolerOutput;
        }

        return result;
    }
}
