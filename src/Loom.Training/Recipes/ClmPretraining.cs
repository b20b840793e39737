// Causal-LM pretraining from a text file, the nanoGPT shakespeare_char way (karpathy/nanoGPT data/shakespeare_char/
// prepare.py and train.py): a character vocabulary over the whole text, the first 90% for training and the last 10% for
// validation, random windows of block_size characters, a GPT-2-shaped model (Loom.Models Gpt2LmHeadModel) and the
// Trainer. The output folder receives config.json (HF GPT-2 keys) and vocab.json beside the checkpoints.
using System.Text.Json;
using Loom.Core;
using Loom.Models.Gpt2;
using Loom.Nn;
using Loom.Training.Data;

namespace Loom.Training.Recipes;

/// <summary>A prepared causal-LM pretraining run over the text's character vocabulary: model, data and trainer, ready to <see cref="Trainer{TBatch}.Train"/>.</summary>
public sealed class ClmPretraining : TextPretraining<ClmPretrainingConfig, CharacterVocabulary, Gpt2LmHeadModel, LmBatch>
{
    private ClmPretraining(ClmPretrainingConfig config, CharacterVocabulary vocabulary, Gpt2LmHeadModel model, Trainer<LmBatch> trainer,
        int trainTokens, int validationTokens)
        : base(config, vocabulary, model, trainer, trainTokens, validationTokens)
    {
    }

    /// <summary>
    /// Reads the text, builds the vocabulary, the model, the batch sources and the trainer, and writes config.json and
    /// vocab.json. The trainer runs <paramref name="options"/> (default: the config's own, <see cref="ClmPretrainingConfig.ToTrainerOptions"/>).
    /// </summary>
    public static ClmPretraining Create(ClmPretrainingConfig config, TrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (config.Epochs > 0d)
        {
            throw new ArgumentException("Setting 'epochs': causal-LM pretraining draws random windows and has no epochs; set max_steps instead.");
        }

        var text = PretrainingText.Read(config.Text);
        var vocabulary = CharacterVocabulary.FromText(text);
        var ids = vocabulary.Encode(text);
        var split = (int)(ids.Length * (1d - config.ValidationFraction));
        var (train, validation) = (ids[..split], ids[split..]);
        if (train.Length <= config.BlockSize || validation.Length <= config.BlockSize)
        {
            throw new ArgumentException($"Setting 'text': {ids.Length} characters split into {train.Length} / {validation.Length} are too few for block_size {config.BlockSize}.");
        }

        var modelConfig = new Gpt2Config
        {
            VocabSize = vocabulary.Count,
            Positions = config.BlockSize,
            Channels = config.Width,
            Layers = config.Layers,
            Heads = config.Heads,
            EmbeddingDropout = 0f,
            AttentionDropout = 0f,
            ResidualDropout = 0f,
        };
        var weights = Weights.Initialize(new Generator(config.Seed));
        var model = new Gpt2LmHeadModel(weights, modelConfig);
        var source = new RandomWindowSource(train, config.BatchSize, config.BlockSize, config.Seed + 1);
        var evalSource = new RandomWindowSource(validation, config.BatchSize, config.BlockSize, config.Seed + 2);
        var evalBatches = Enumerable.Range(0, config.EvalBatches).Select(_ => evalSource.Next()).ToList();
        options ??= config.ToTrainerOptions();
        var trainable = new TrainableModel<LmBatch>(weights, batch => Loss(model, batch));
        var trainer = new Trainer<LmBatch>(trainable, source, options, evalBatches);
        Directory.CreateDirectory(config.Output);
        File.WriteAllText(Path.Combine(config.Output, "config.json"), JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["architectures"] = new[] { "GPT2LMHeadModel" },
            ["model_type"] = "gpt2",
            ["vocab_size"] = modelConfig.VocabSize,
            ["n_positions"] = modelConfig.Positions,
            ["n_embd"] = modelConfig.Channels,
            ["n_layer"] = modelConfig.Layers,
            ["n_head"] = modelConfig.Heads,
            ["embd_pdrop"] = modelConfig.EmbeddingDropout,
            ["attn_pdrop"] = modelConfig.AttentionDropout,
            ["resid_pdrop"] = modelConfig.ResidualDropout,
        }));
        File.WriteAllText(Path.Combine(config.Output, "vocab.json"), JsonSerializer.Serialize(vocabulary.Characters.Select(r => r.ToString()).ToList()));
        return new ClmPretraining(config, vocabulary, model, trainer, train.Length, validation.Length);
    }

    /// <summary>Mean next-token cross-entropy of <paramref name="model"/> on <paramref name="batch"/>.</summary>
    public static Tensor Loss(Gpt2LmHeadModel model, LmBatch batch)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        var logits = model.Forward(batch.Inputs).Logits; // (B, T, V)
        return Losses.CrossEntropy(logits.Reshape(-1, model.VocabSize), batch.Targets.Reshape(-1)); // (B·T, V) vs (B·T)
    }
}
