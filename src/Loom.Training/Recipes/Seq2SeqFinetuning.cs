// `loom train finetune seq2seq`: an encoder-decoder trained on source → target text pairs (CSV or JSON Lines, fields
// source and target), e.g. multi30k-style translation or summaries. The model is the pretrained folder's (`loom train
// pretrain seq2seq` output: model_type bart or t5 in config.json) or a fresh BART over the characters of the training
// pairs. Texts are encoded character by character and cut to block_size: BART source and target as <s> … </s> (the
// decoder starts at </s>), T5 as … </s> (the decoder starts at <pad>), as HF's tokenizers and shift_tokens_right do.
// Every evaluation decodes the validation sources greedily with the decoder's key/value cache (up to block_size tokens,
// stopping at </s>) and scores the texts with sacreBLEU (tokenize "zh": CJK characters split, 13a otherwise; reported
// on the 0–1 scale as "bleu") and ROUGE-L F (Loom.Metrics, CJK-aware tokens, "rouge_l"), beside the teacher-forced eval_loss.
using Loom.Core;
using Loom.Metrics.Bleu;
using Loom.Metrics.Rouge;
using Loom.Models.Bart;
using Loom.Models.Seq2Seq;
using Loom.Models.T5;
using Loom.Nn;
using Loom.Training.Objectives;

namespace Loom.Training.Recipes;

/// <summary>A prepared sequence-to-sequence fine-tuning run.</summary>
public sealed class Seq2SeqFinetuning
{
    private readonly IReadOnlyList<Pair> _validation;

    private Seq2SeqFinetuning(FinetuneConfig config, PretrainedStart start, Weights weights, ISeq2SeqLm model, IReadOnlyList<Pair> train,
        IReadOnlyList<Pair> validation, IReadOnlyList<string> freshParameters)
    {
        (Config, Start, Model, TrainExamples, _validation, FreshParameters) = (config, start, model, train.Count, validation, freshParameters);
        Parameters = weights.Parameters;
        Trainer = BertFinetuning.CreateTrainer(config, weights, Loss, train, Collate, batch => batch.InputIds.Count + batch.Labels!.Count, Evaluate);
    }

    /// <summary>The settings.</summary>
    public FinetuneConfig Config { get; }

    /// <summary>Config and vocabulary of the model.</summary>
    public PretrainedStart Start { get; }

    /// <summary>The model (BartForConditionalGeneration or T5ForConditionalGeneration).</summary>
    public ISeq2SeqLm Model { get; }

    /// <summary>Every parameter of the model, by name.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> Parameters { get; }

    /// <summary>The trainer (call <see cref="Trainer{TBatch}.Resume"/> before training to continue a run).</summary>
    public Trainer<TrainingBatch> Trainer { get; }

    /// <summary>Training pairs.</summary>
    public int TrainExamples { get; }

    /// <summary>Validation pairs.</summary>
    public int ValidationExamples => _validation.Count;

    /// <summary>Parameters not loaded from the pretrained folder (all of them for a fresh model).</summary>
    public IReadOnlyList<string> FreshParameters { get; }

    /// <summary>Reads the data, builds or loads the model and the trainer, and writes config.json and vocab.json.</summary>
    public static Seq2SeqFinetuning Create(FinetuneConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var (train, validation) = BertFinetuning.Split(config, path => FinetuneRecords.ReadLabeled(path, config.TextField, config.LabelField));
        var start = config.Model.Length > 0 ? PretrainedStart.FromFolder(config.Model) : FreshBart(config, train.SelectMany(p => new[] { p.Text, p.Label }));
        var bart = (string?)start.Config["model_type"] switch
        {
            "bart" => true,
            "t5" => false,
            var other => throw new ArgumentException($"Setting 'model': expected config.json with model_type bart or t5; found '{other}'."),
        };
        var weights = Weights.Initialize(new Generator(config.Shared.Seed));
        ISeq2SeqLm model = bart ? new BartForConditionalGeneration(weights, start.Bind<BartConfig>()) : new T5ForConditionalGeneration(weights, start.Bind<T5Config>());
        var fresh = start.LoadInto(weights.Parameters);
        start.Save(config.Shared.Output);
        var vocabulary = start.Vocabulary;
        var (unknown, end) = (vocabulary.Id("<unk>"), vocabulary.Id("</s>"));
        int[] Encode(string text)
        {
            var ids = vocabulary.Encode(text, unknown).Ids;
            var room = config.Shared.BlockSize - (bart ? 2 : 1);
            return bart ? [vocabulary.Id("<s>"), .. ids[..Math.Min(ids.Length, room)], end] : [.. ids[..Math.Min(ids.Length, room)], end];
        }

        Pair ToPair((string Text, string Label) p) => new(Encode(p.Text), Encode(p.Label), p.Label);
        return new Seq2SeqFinetuning(config, start, weights, model, [.. train.Select(ToPair)], [.. validation.Select(ToPair)], fresh);
    }

    /// <summary>Mean cross-entropy of the decoder's predictions of the target (teacher forcing).</summary>
    public Tensor Loss(TrainingBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return Seq2SeqLm.Forward(Model, batch.InputIds, batch.AttentionMask, labels: batch.Labels).Loss!; // logits (B, T, V) vs labels (B, T)
    }

    /// <summary>eval_loss, then greedy decoding of the validation sources scored with BLEU and ROUGE-L (called by the trainer).</summary>
    public IReadOnlyDictionary<string, double> Evaluate()
    {
        var (references, hypotheses) = (new List<string?>(), new List<string>());
        var (lossSum, count) = (0d, 0);
        foreach (var pairs in BertFinetuning.EvaluationBatches(Config, _validation))
        {
            var batch = Collate(pairs);
            lossSum += Loss(batch).Item() * pairs.Length;
            count += pairs.Length;
            references.AddRange(pairs.Select(p => p.TargetText));
            hypotheses.AddRange(GreedyDecode(batch.InputIds, batch.AttentionMask).Select(Text));
        }

        var bleu = new SacreBleu(new SacreBleuOptions { Tokenize = "zh" }).CorpusScore(hypotheses, [references]);
        var rouge = new RougeScorer(["rougeL"]);
        var rougeL = hypotheses.Select((h, i) => rouge.Score(references[i]!, h)["rougeL"].FMeasure).Average();
        return new Dictionary<string, double> { ["eval_loss"] = lossSum / count, ["bleu"] = bleu.Score / 100d, ["rouge_l"] = rougeL };
    }

    /// <summary>
    /// Greedy decoding of the sources <paramref name="inputIds"/> (B, S) with padding mask <paramref name="attentionMask"/>
    /// (B, S), as HF generate with num_beams 1 and use_cache: the encoder runs once, then the decoder takes one token per
    /// row per step with a <see cref="Seq2SeqCache"/> (self-attention keys and values appended, cross-attention keys and
    /// values projected once). Each row is the argmax tokens after the start token, until </s> (kept) or block_size tokens.
    /// </summary>
    public IReadOnlyList<int[]> GreedyDecode(IntTensor inputIds, IntTensor attentionMask)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(attentionMask);
        using var noGrad = Tensor.NoGrad();
        var end = Start.Vocabulary.Id("</s>");
        var batch = inputIds.Shape[0];
        var encoded = Model.Encode(inputIds, attentionMask).LastHiddenState; // (B, S, C)
        var cache = new Seq2SeqCache(Model.DecoderLayerCount);
        var rows = Enumerable.Range(0, batch).Select(_ => new List<int>()).ToArray();
        var next = Enumerable.Repeat(Model.DecoderStartTokenId, batch).ToArray();
        var finished = new bool[batch];
        for (var step = 0; step < Config.Shared.BlockSize && !finished.All(f => f); step++)
        {
            var logits = Model.Decode(IntTensor.FromArray(next, batch, 1), encoded, attentionMask, cache: cache).Logits.ToArray(); // (B, 1, V)
            for (var b = 0; b < batch; b++)
            {
                next[b] = finished[b] ? Model.PadTokenId : BertFinetuning.ArgMax(logits, b * Model.VocabSize, Model.VocabSize);
                if (!finished[b])
                {
                    rows[b].Add(next[b]);
                }

                finished[b] |= next[b] == end;
            }
        }

        return [.. rows.Select(r => r.ToArray())];
    }

    // The text of decoded ids: up to </s>, without the special tokens.
    private string Text(int[] ids)
    {
        var (vocabulary, end) = (Start.Vocabulary, Start.Vocabulary.Id("</s>"));
        return vocabulary.Decode(ids.TakeWhile(id => id != end).Where(id => id < vocabulary.Count && !IsSpecial(vocabulary.Token(id))));
    }

    // <s>, <pad>, <unk>, <mask>, <extra_id_k>: written in angle brackets, unlike the one-character tokens.
    private static bool IsSpecial(string token) => token.Length > 1 && token[0] == '<' && token[^1] == '>';

    private TrainingBatch Collate(IReadOnlyList<Pair> pairs)
    {
        var sources = pairs.Select(p => p.Source).ToArray();
        return new TrainingBatch
        {
            InputIds = BatchPadding.Pad(sources, Model.PadTokenId),
            AttentionMask = BatchPadding.Mask(sources),
            Labels = BatchPadding.Pad([.. pairs.Select(p => p.Target)], TrainingBatch.IgnoreIndex),
        };
    }

    private static PretrainedStart FreshBart(FinetuneConfig config, IEnumerable<string> texts)
    {
        var vocabulary = TokenVocabulary.FromTexts(Seq2SeqPretraining.BartSpecialTokens, texts);
        return PretrainedStart.Fresh(Seq2SeqPretraining.BartConfigJson(config.Shared, vocabulary.Count), vocabulary);
    }

    // Encoded source and target ids, and the target text the predictions are scored against.
    private sealed record Pair(int[] Source, int[] Target, string TargetText);
}
