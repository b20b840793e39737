// GLM autoregressive blank-infilling pretraining from a text file (Du et al. 2022, §2.1–2.2; THUDM/GLM's blocklm
// objective): vocabulary <pad> <unk> [MASK] <|startofpiece|> <|endofpiece|> (ids 0-4, GLM's names for [sop] and [eop])
// + characters; the first 90% of the text for training and the last 10% for validation, cut into consecutive rows of
// block_size characters; GlmBlankInfillingCollator blanks Poisson(λ) spans covering mask_ratio of each row afresh every
// batch from the batch source's generator (so a resumed run draws the same spans), validation once; a small GlmModel
// reads the 2-D positions and the per-row prefix (part A bidirectional, part B causal). The output folder receives
// config.json (THUDM GLM keys) and vocab.json beside the checkpoints.
using System.Text.Json.Nodes;
using Loom.Core;
using Loom.Models.Glm;
using Loom.Nn;
using Loom.Training.Objectives;

namespace Loom.Training.Recipes;

/// <summary>
/// A prepared GLM pretraining run: model, data and trainer, ready to <see cref="Trainer{TBatch}.Train"/>. Its vocabulary
/// holds <see cref="SpecialTokens"/> and the characters of the text.
/// </summary>
public sealed class GlmPretraining : TextPretraining<GlmPretrainingConfig, TokenVocabulary, GlmModel, TrainingBatch>
{
    /// <summary>The special tokens, in id order before the characters.</summary>
    public static readonly IReadOnlyList<string> SpecialTokens = ["<pad>", "<unk>", "[MASK]", "<|startofpiece|>", "<|endofpiece|>"];

    private GlmPretraining(GlmPretrainingConfig config, TokenVocabulary vocabulary, GlmModel model, Trainer<TrainingBatch> trainer,
        int trainTokens, int validationTokens)
        : base(config, vocabulary, model, trainer, trainTokens, validationTokens)
    {
    }

    /// <summary>Reads the text, builds the vocabulary, the model, the batch sources and the trainer, and writes config.json and vocab.json.</summary>
    public static GlmPretraining Create(GlmPretrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var shared = config.Shared;
        var text = PretrainingText.Read(shared.Text);
        var vocabulary = TokenVocabulary.FromTexts(SpecialTokens, [text]);
        var ids = vocabulary.Encode(text, vocabulary.Id("<unk>")).Ids;
        var split = (int)(ids.Length * (1d - shared.ValidationFraction));
        var (train, validation) = (PretrainingText.Rows(ids[..split], shared.BlockSize, row => row), PretrainingText.Rows(ids[split..], shared.BlockSize, row => row));
        if (train.Count == 0 || validation.Count == 0)
        {
            throw new ArgumentException($"Setting 'text': {ids.Length} characters split into {split} / {ids.Length - split} are too few for rows of block_size {shared.BlockSize}.");
        }

        var start = PretrainedStart.Fresh(ConfigJson(shared, vocabulary.Count), vocabulary);
        var weights = Weights.Initialize(new Generator(shared.Seed));
        var model = new GlmModel(weights, start.Bind<GlmConfig>());
        GlmBlankInfillingCollator Collator(Generator generator) => new(vocabulary.Id("[MASK]"), vocabulary.Id("<|startofpiece|>"),
            vocabulary.Id("<|endofpiece|>"), vocabulary.Id("<pad>"), generator, config.MaskRatio, config.MeanSpanLength);
        var source = new ShuffledBatchSource<int[], TrainingBatch>(train, shared.BatchSize, shared.Seed + 1,
            (rows, generator) => Collator(generator).Collate(rows), batch => batch.InputIds.Count);
        var evalCollator = Collator(new Generator(shared.Seed + 2));
        var evalBatches = validation.Chunk(shared.BatchSize).Take(shared.EvalBatches).Select(rows => evalCollator.Collate(rows)).ToList();
        var trainable = new TrainableModel<TrainingBatch>(weights, batch => Loss(model, batch));
        var trainer = new Trainer<TrainingBatch>(trainable, source, shared.ToTrainerOptions(), evalBatches);
        start.Save(shared.Output);
        return new GlmPretraining(config, vocabulary, model, trainer, train.Count * shared.BlockSize, validation.Count * shared.BlockSize);
    }

    /// <summary>Mean cross-entropy of <paramref name="model"/> over the part-B targets of <paramref name="batch"/> (−100 ignored).</summary>
    public static Tensor Loss(GlmModel model, TrainingBatch batch)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        var positions = batch.PositionIds ?? throw new ArgumentException("GLM loss: the batch has no 2-D position ids (B, 2, T).", nameof(batch));
        var prefixes = batch.PrefixLengths ?? throw new ArgumentException("GLM loss: the batch has no prefix lengths (B).", nameof(batch));
        return model.Forward(batch.InputIds, positions, prefixes, batch.AttentionMask, batch.Labels).Loss!; // logits (B, T, V) vs labels (B, T)
    }

    /// <summary>THUDM GLM config.json keys of a fresh model of the shared settings' size (dropout 0) over <paramref name="vocabSize"/> tokens.</summary>
    public static JsonObject ConfigJson(ClmPretrainingConfig shared, int vocabSize)
    {
        ArgumentNullException.ThrowIfNull(shared);
        return new()
        {
            ["architectures"] = new JsonArray("GLMModel"),
            ["model_type"] = "glm",
            ["vocab_size"] = vocabSize,
            ["hidden_size"] = shared.Width,
            ["num_layers"] = shared.Layers,
            ["num_attention_heads"] = shared.Heads,
            ["max_sequence_length"] = shared.BlockSize + 2, // row 0 < block_size; row 1 ≤ longest span + 1 ≤ block_size + 1
            ["block_position_encoding"] = true,
            ["embedding_dropout_prob"] = 0,
            ["attention_dropout_prob"] = 0,
            ["output_dropout_prob"] = 0,
        };
    }
}
