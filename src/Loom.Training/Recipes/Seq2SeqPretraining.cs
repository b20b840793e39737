// Encoder-decoder denoising pretraining from a text file. The first 90% of the text trains and the last 10% validates
// (as in the clm recipe), cut into consecutive rows; each batch is noised afresh from the batch source's generator, so a
// resumed run draws the same noise, and validation is noised once.
// - bart (Lewis et al. 2020, §2.2 and §5.1): vocabulary <s> <pad> </s> <unk> <mask> + characters; rows of block_size − 2
//   characters as <s> … </s>; text infilling (BartNoiser: Poisson(λ) spans each replaced by one <mask>) by
//   BartDenoisingCollator; the decoder predicts the whole row behind </s> (HF BART's decoder_start_token_id).
// - t5 (Raffel et al. 2020, §3.1.4): vocabulary <pad> </s> <unk> + characters + the sentinels, extra_id_0 last; rows of
//   the raw length whose corrupted input is exactly block_size tokens (T5SpanLengths.ForInputLength); span corruption
//   by T5SpanCorruptionCollator; the decoder predicts sentinel + span for every span behind <pad>.
// The output folder receives config.json (HF BART or T5 keys, dropout 0) and vocab.json beside the checkpoints.
using System.Text.Json.Nodes;
using Loom.Core;
using Loom.Models.Bart;
using Loom.Models.Seq2Seq;
using Loom.Models.T5;
using Loom.Nn;
using Loom.Training.Objectives;

namespace Loom.Training.Recipes;

/// <summary>
/// A prepared seq2seq denoising pretraining run: model (BartForConditionalGeneration or T5ForConditionalGeneration), data
/// and trainer, ready to <see cref="Trainer{TBatch}.Train"/>. Its vocabulary holds the special tokens, the characters and
/// (t5) the sentinels.
/// </summary>
public sealed class Seq2SeqPretraining : TextPretraining<Seq2SeqPretrainingConfig, TokenVocabulary, ISeq2SeqLm, TrainingBatch>
{
    /// <summary>The special tokens of the bart objective, in id order before the characters (HF BART's first four, then &lt;mask&gt;).</summary>
    public static readonly IReadOnlyList<string> BartSpecialTokens = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"];

    /// <summary>The special tokens of the t5 objective, in id order before the characters (HF T5's first three).</summary>
    public static readonly IReadOnlyList<string> T5SpecialTokens = ["<pad>", "</s>", "<unk>"];

    private Seq2SeqPretraining(Seq2SeqPretrainingConfig config, TokenVocabulary vocabulary, ISeq2SeqLm model, Trainer<TrainingBatch> trainer,
        int trainTokens, int validationTokens)
        : base(config, vocabulary, model, trainer, trainTokens, validationTokens)
    {
    }

    /// <summary>Reads the text, builds the vocabulary, the model, the batch sources and the trainer, and writes config.json and vocab.json.</summary>
    public static Seq2SeqPretraining Create(Seq2SeqPretrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var shared = config.Shared;
        var text = PretrainingText.Read(shared.Text);
        var bart = config.Objective == Seq2SeqObjective.Bart;
        var rowLength = bart ? shared.BlockSize - 2 : T5SpanLengths.ForInputLength(shared.BlockSize, config.NoiseDensity, config.MeanSpanLength).TokensLength;
        var characters = TokenVocabulary.FromTexts(bart ? BartSpecialTokens : T5SpecialTokens, [text]);
        var vocabulary = bart ? characters : new TokenVocabulary([.. characters.Tokens, .. Sentinels(rowLength, config)]);
        var ids = vocabulary.Encode(text, vocabulary.Id("<unk>")).Ids;
        var split = (int)(ids.Length * (1d - shared.ValidationFraction));
        var wrap = bart ? (Func<int[], int[]>)(row => [vocabulary.Id("<s>"), .. row, vocabulary.Id("</s>")]) : row => row;
        var (train, validation) = (PretrainingText.Rows(ids[..split], rowLength, wrap), PretrainingText.Rows(ids[split..], rowLength, wrap));
        if (train.Count == 0 || validation.Count == 0)
        {
            throw new ArgumentException($"Setting 'text': {ids.Length} characters split into {split} / {ids.Length - split} are too few for rows of {rowLength} (block_size {shared.BlockSize}).");
        }

        var start = PretrainedStart.Fresh(bart ? BartConfigJson(shared, vocabulary.Count) : T5ConfigJson(shared, vocabulary.Count), vocabulary);
        var weights = Weights.Initialize(new Generator(shared.Seed));
        ISeq2SeqLm model = bart ? new BartForConditionalGeneration(weights, start.Bind<BartConfig>()) : new T5ForConditionalGeneration(weights, start.Bind<T5Config>());
        Func<IReadOnlyList<int[]>, TrainingBatch> Collator(Generator generator)
        {
            if (bart)
            {
                var noise = new BartNoiseOptions { InfillRatio = config.NoiseDensity, PoissonLambda = config.MeanSpanLength };
                var noiser = new BartNoiser(noise, vocabulary.Id("<mask>"), vocabulary.Id("</s>"), vocabulary.Count, generator);
                return new BartDenoisingCollator(noiser, vocabulary.Id("<pad>"), model.DecoderStartTokenId).Collate;
            }

            return new T5SpanCorruptionCollator(vocabulary.Count - 1, vocabulary.Id("</s>"), vocabulary.Id("<pad>"), generator,
                config.NoiseDensity, config.MeanSpanLength).Collate;
        }

        var source = new ShuffledBatchSource<int[], TrainingBatch>(train, shared.BatchSize, shared.Seed + 1,
            (rows, generator) => Collator(generator)(rows), batch => batch.InputIds.Count);
        var evalCollate = Collator(new Generator(shared.Seed + 2));
        var evalBatches = validation.Chunk(shared.BatchSize).Take(shared.EvalBatches).Select(rows => evalCollate(rows)).ToList();
        var trainable = new TrainableModel<TrainingBatch>(weights, batch => Loss(model, batch));
        var trainer = new Trainer<TrainingBatch>(trainable, source, shared.ToTrainerOptions(), evalBatches);
        start.Save(shared.Output);
        return new Seq2SeqPretraining(config, vocabulary, model, trainer, train.Count * rowLength, validation.Count * rowLength);
    }

    /// <summary>Mean cross-entropy of the decoder's predictions of the labels of <paramref name="batch"/> (−100 ignored).</summary>
    public static Tensor Loss(ISeq2SeqLm model, TrainingBatch batch)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        return Seq2SeqLm.Forward(model, batch.InputIds, batch.AttentionMask, batch.DecoderInputIds, batch.DecoderAttentionMask, batch.Labels).Loss!;
    }

    // One sentinel per possible span of a row, extra_id_0 last (T5's sentinels count down from the end of the vocabulary).
    private static IEnumerable<string> Sentinels(int rowLength, Seq2SeqPretrainingConfig config)
    {
        var spans = T5SpanLengths.NoiseCounts(rowLength, config.NoiseDensity, config.MeanSpanLength).NoiseSpans;
        return Enumerable.Range(0, spans).Reverse().Select(k => $"<extra_id_{k}>");
    }

    /// <summary>HF BART config.json keys of a fresh model of the shared settings' size (dropout 0) over <paramref name="vocabSize"/> tokens.</summary>
    public static JsonObject BartConfigJson(ClmPretrainingConfig shared, int vocabSize) => new()
    {
        ["architectures"] = new JsonArray("BartForConditionalGeneration"),
        ["model_type"] = "bart",
        ["vocab_size"] = vocabSize,
        ["d_model"] = shared.Width,
        ["encoder_layers"] = shared.Layers,
        ["decoder_layers"] = shared.Layers,
        ["encoder_attention_heads"] = shared.Heads,
        ["decoder_attention_heads"] = shared.Heads,
        ["encoder_ffn_dim"] = 4 * shared.Width,
        ["decoder_ffn_dim"] = 4 * shared.Width,
        ["max_position_embeddings"] = 2 * shared.BlockSize, // text infilling's zero-length spans may lengthen a row
        ["bos_token_id"] = 0,
        ["pad_token_id"] = 1,
        ["eos_token_id"] = 2,
        ["decoder_start_token_id"] = 2,
        ["dropout"] = 0,
        ["attention_dropout"] = 0,
        ["activation_dropout"] = 0,
    };

    /// <summary>HF T5 config.json keys of a fresh model of the shared settings' size (dropout 0) over <paramref name="vocabSize"/> tokens.</summary>
    public static JsonObject T5ConfigJson(ClmPretrainingConfig shared, int vocabSize) => new()
    {
        ["architectures"] = new JsonArray("T5ForConditionalGeneration"),
        ["model_type"] = "t5",
        ["vocab_size"] = vocabSize,
        ["d_model"] = shared.Width,
        ["d_kv"] = shared.Width / shared.Heads,
        ["d_ff"] = 4 * shared.Width,
        ["num_layers"] = shared.Layers,
        ["num_decoder_layers"] = shared.Layers,
        ["num_heads"] = shared.Heads,
        ["feed_forward_proj"] = "relu",
        ["tie_word_embeddings"] = true,
        ["pad_token_id"] = 0,
        ["eos_token_id"] = 1,
        ["decoder_start_token_id"] = 0,
        ["dropout_rate"] = 0,
    };
}
