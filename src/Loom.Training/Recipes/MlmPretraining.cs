// Masked-LM pretraining from a text file (Devlin et al. 2019, BERT §3.1) with RoBERTa's dynamic masking (Liu et al. 2019
// §4.1): the clm recipe's character vocabulary, preceded by [PAD] [UNK] [CLS] [SEP] [MASK] (ids 0-4); the first 90% of
// the text for training and the last 10% for validation, cut into rows of block_size − 2 characters wrapped in [CLS] …
// [SEP]; a small BertForMaskedLm; MaskedLmCollator re-masking every batch (15%, 80% [MASK] / 10% random / 10% kept) from
// the batch source's generator, so a resumed run draws the same masks. Validation masks are drawn once. The output folder
// receives config.json (HF BERT keys) and vocab.json (tokens in id order) beside the checkpoints.
using System.Text.Json.Nodes;
using Loom.Core;
using Loom.Models.Bert;
using Loom.Nn;
using Loom.Training.Data;
using Loom.Training.Objectives;

namespace Loom.Training.Recipes;

/// <summary>
/// A prepared masked-LM pretraining run: model, data and trainer, ready to <see cref="Trainer{TBatch}.Train"/>. Its
/// vocabulary is the text's characters (model id = character id + <see cref="SpecialTokens"/>.Count).
/// </summary>
public sealed class MlmPretraining : TextPretraining<MlmPretrainingConfig, CharacterVocabulary, BertForMaskedLm, TrainingBatch>
{
    /// <summary>The special tokens, in id order before the characters.</summary>
    public static readonly IReadOnlyList<string> SpecialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

    private const int PadId = 0;
    private const int UnkId = 1;
    private const int ClsId = 2;
    private const int SepId = 3;
    private const int MaskId = 4;

    private MlmPretraining(MlmPretrainingConfig config, CharacterVocabulary vocabulary, BertForMaskedLm model, Trainer<TrainingBatch> trainer,
        int trainTokens, int validationTokens)
        : base(config, vocabulary, model, trainer, trainTokens, validationTokens)
    {
    }

    /// <summary>Model vocabulary size: the special tokens and the characters.</summary>
    public int VocabSize => SpecialTokens.Count + Vocabulary.Count;

    /// <summary>Reads the text, builds the vocabulary, the model, the batch sources and the trainer, and writes config.json and vocab.json.</summary>
    public static MlmPretraining Create(MlmPretrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var shared = config.Shared;
        var text = PretrainingText.Read(shared.Text);
        var vocabulary = CharacterVocabulary.FromText(text);
        var ids = vocabulary.Encode(text).Select(id => id + SpecialTokens.Count).ToArray();
        var split = (int)(ids.Length * (1d - shared.ValidationFraction));
        var rowLength = shared.BlockSize - 2;
        static int[] Wrap(int[] row) => [ClsId, .. row, SepId];
        var (train, validation) = (PretrainingText.Rows(ids[..split], rowLength, Wrap), PretrainingText.Rows(ids[split..], rowLength, Wrap));
        if (train.Count == 0 || validation.Count == 0)
        {
            throw new ArgumentException($"Setting 'text': {ids.Length} characters split into {split} / {ids.Length - split} are too few for rows of block_size {shared.BlockSize}.");
        }

        var tokens = new TokenVocabulary([.. SpecialTokens, .. vocabulary.Characters.Select(r => r.ToString())]);
        var start = PretrainedStart.Fresh(BertFinetuning.FreshConfig(shared, tokens.Count), tokens);
        start.Config["architectures"] = new JsonArray("BertForMaskedLM");
        var modelConfig = start.Bind<BertConfig>();
        var weights = Weights.Initialize(new Generator(shared.Seed));
        var model = new BertForMaskedLm(weights, modelConfig);
        MaskedLmCollator Collator(Generator generator) =>
            new(modelConfig.VocabSize, MaskId, PadId, [UnkId, ClsId, SepId, MaskId], generator, config.MaskProbability);
        var source = new ShuffledBatchSource<int[], TrainingBatch>(train, shared.BatchSize, shared.Seed + 1,
            (rows, generator) => Collator(generator).Collate(rows), batch => batch.InputIds.Count);
        var evalCollator = Collator(new Generator(shared.Seed + 2));
        var evalBatches = validation.Chunk(shared.BatchSize).Take(shared.EvalBatches).Select(rows => evalCollator.Collate(rows)).ToList();
        var options = shared.ToTrainerOptions();
        var trainable = new TrainableModel<TrainingBatch>(weights, batch => Loss(model, batch));
        var trainer = new Trainer<TrainingBatch>(trainable, source, options, evalBatches);
        start.Save(shared.Output);
        return new MlmPretraining(config, vocabulary, model, trainer, train.Count * rowLength, validation.Count * rowLength);
    }

    /// <summary>Mean cross-entropy of <paramref name="model"/> over the masked positions of <paramref name="batch"/>.</summary>
    public static Tensor Loss(BertForMaskedLm model, TrainingBatch batch)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        return model.Forward(batch.InputIds, batch.AttentionMask, labels: batch.Labels).Loss!; // logits (B, T, V) vs labels (B, T)
    }
}
