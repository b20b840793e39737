// The src/Loom.Models model a training fixture names (train.json → model_class), loaded from the fixture folder through
// the public loading API (config.json + model.safetensors, every checkpoint tensor used), seen as its parameter list
// and the loss HF computes for model(**batch).loss.
using Loom.Core;
using Loom.Models.Bert;
using Loom.Models.Decoding;
using Loom.Models.Gpt2;
using Loom.Models.Llama;
using Loom.Models.Seq2Seq;
using Loom.Models.T5;
using Loom.Nn;

namespace Loom.Models.Tests.Training;

/// <summary>
/// A loaded model's parameter tree (its train/eval switch), parameters (checkpoint names, tied ones once) and its training
/// loss on a fixture batch.
/// </summary>
internal sealed record TrainableModel(Weights Weights, IReadOnlyList<KeyValuePair<string, Tensor>> Parameters, Func<TrainBatch, Tensor> Loss)
{
    /// <summary>Loads the model of fixture <paramref name="fixture"/> from its folder (eval mode: the fixtures run without dropout).</summary>
    public static TrainableModel Load(TrainFixture fixture)
    {
        var dir = fixture.Folder;
        Weights? weights = null;
        T Bind<T>(Func<Weights, T> build) => HfCheckpoint.Load(dir, w => build(weights = w));
        switch (fixture.Name)
        {
            case "gpt2":
            case "llama_gqa":
                ICausalLm causal = fixture.Name == "gpt2"
                    ? Bind(w => new Gpt2LmHeadModel(w, HfCheckpoint.ReadConfig<Gpt2Config>(dir)))
                    : Bind(w => new LlamaForCausalLm(w, HfCheckpoint.ReadConfig<LlamaConfig>(dir)));
                return new(weights!, causal.Parameters, b => causal.Forward(b.InputIds, b.AttentionMask, labels: b.Labels).Loss!);
            case "bert_mlm":
                var mlm = Bind(w => new BertForMaskedLm(w, HfCheckpoint.ReadConfig<BertConfig>(dir)));
                return new(weights!, weights!.Parameters, b => mlm.Forward(b.InputIds, b.AttentionMask, b.TokenTypeIds, b.Labels).Loss!);
            case "t5" or "t5_v1_1":
                var t5 = Bind(w => new T5ForConditionalGeneration(w, HfCheckpoint.ReadConfig<T5Config>(dir)));
                return new(weights!, t5.Parameters, b => Seq2SeqLm.Forward(t5, b.InputIds, b.AttentionMask, labels: b.Labels).Loss!);
            default:
                throw new ArgumentException($"No model for training fixture '{fixture.Name}'; expected gpt2, llama_gqa, bert_mlm, t5 or t5_v1_1.", nameof(fixture));
        }
    }
}
