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

/// <summary>A loaded model's parameters (checkpoint names, tied ones once) and its training loss on a fixture batch.</summary>
internal sealed record TrainableModel(IReadOnlyList<KeyValuePair<string, Tensor>> Parameters, Func<TrainBatch, Tensor> Loss)
{
    /// <summary>Loads the model of fixture <paramref name="fixture"/> from its folder (eval mode: the fixtures run without dropout).</summary>
    public static TrainableModel Load(TrainFixture fixture)
    {
        var dir = fixture.Folder;
        switch (fixture.Name)
        {
            case "gpt2":
            case "llama_gqa":
                ICausalLm causal = fixture.Name == "gpt2" ? Gpt2LmHeadModel.Load(dir) : LlamaForCausalLm.Load(dir);
                return new(causal.Parameters, b => causal.Forward(b.InputIds, b.AttentionMask, labels: b.Labels).Loss!);
            case "bert_mlm":
                var config = HfCheckpoint.ReadConfig<BertConfig>(dir);
                Weights? weights = null;
                var mlm = HfCheckpoint.Load(dir, w => new BertForMaskedLm(weights = w, config));
                return new(weights!.Parameters, b => mlm.Forward(b.InputIds, b.AttentionMask, b.TokenTypeIds, b.Labels).Loss!);
            case "t5" or "t5_v1_1":
                var t5 = T5ForConditionalGeneration.Load(dir);
                return new(t5.Parameters, b => Seq2SeqLm.Forward(t5, b.InputIds, b.AttentionMask, labels: b.Labels).Loss!);
            default:
                throw new ArgumentException($"No model for training fixture '{fixture.Name}'; expected gpt2, llama_gqa, bert_mlm, t5 or t5_v1_1.", nameof(fixture));
        }
    }
}
