using Loom.Core;
using Loom.Training.Objectives;
using Loom.Training.Recipes;
using Loom.Training.Tests.Trainer;

namespace Loom.Training.Tests.Recipes;

/// <summary>
/// `loom train finetune seq2seq` on the tiny in-repo date set (二〇一八年九月二十八日 → 2018-09-28): a fresh tiny BART's
/// teacher-forced loss falls and greedy decoding is scored with BLEU and ROUGE-L; a `pretrain seq2seq` T5 folder is
/// picked up whole.
/// </summary>
public sealed class Seq2SeqFinetuningTests
{
    private static Dictionary<string, string> Settings(string output, int steps) => RecipeTestSettings.TinyModel(steps, new()
    {
        ["task"] = "finetune-seq2seq",
        ["train"] = RecipeData.Path("dates_train.csv"),
        ["validation"] = RecipeData.Path("dates_dev.csv"),
        ["block_size"] = "16",
        ["learning_rate"] = "5e-3",
        ["eval_every"] = "40",
        ["eval_batches"] = "1",
        ["seed"] = "9",
        ["output"] = output,
    });

    [Fact]
    public void A_fresh_tiny_bart_learns_to_write_dates_and_is_scored_with_bleu_and_rouge()
    {
        using var folder = new TempFolder();
        var run = Seq2SeqFinetuning.Create(FinetuneConfig.FromSettings(FinetuneTask.Seq2Seq, Settings(folder.Path, 80)));
        Assert.Equal("BartForConditionalGeneration", run.Model.Architecture);
        var before = run.Trainer.Evaluate();
        run.Trainer.Train();
        var after = run.Trainer.Evaluate();
        Assert.True(after["eval_loss"] < before["eval_loss"] / 2, $"eval_loss {before["eval_loss"]:F4} → {after["eval_loss"]:F4}");
        Assert.True(after["rouge_l"] > before["rouge_l"] + 0.05, $"ROUGE-L {before["rouge_l"]:F3} → {after["rouge_l"]:F3}");
        Assert.InRange(after["bleu"], 0d, 1d);
    }

    [Fact]
    public void Cached_greedy_decoding_gives_the_tokens_of_rerunning_the_whole_decoder_every_step()
    {
        using var folder = new TempFolder();
        var run = Seq2SeqFinetuning.Create(FinetuneConfig.FromSettings(FinetuneTask.Seq2Seq, Settings(folder.Path, 40)));
        run.Trainer.Train(); // a half-trained model: long, varied outputs
        var vocabulary = run.Start.Vocabulary;
        var sources = File.ReadLines(RecipeData.Path("dates_dev.csv")).Skip(1).Take(6).Select(l => l.Split(',')[0]).ToArray();
        int[][] rows = [.. sources.Select(text => (int[])[vocabulary.Id("<s>"), .. vocabulary.Encode(text, vocabulary.Id("<unk>")).Ids[..Math.Min(text.Length, 14)], vocabulary.Id("</s>")])];
        var inputIds = BatchPadding.Pad(rows, run.Model.PadTokenId);
        var mask = BatchPadding.Mask(rows);

        var cached = run.GreedyDecode(inputIds, mask);

        // Uncached reference (the recipe before the cache): the decoder re-reads every row's whole prefix each step.
        var end = vocabulary.Id("</s>");
        var memory = run.Model.Encode(inputIds, mask).LastHiddenState; // (B, S, C)
        var prefixes = rows.Select(_ => new List<int> { run.Model.DecoderStartTokenId }).ToArray();
        for (var step = 0; step < 16; step++)
        {
            var t = prefixes[0].Count;
            var logits = run.Model.Decode(IntTensor.FromArray([.. prefixes.SelectMany(p => p)], rows.Length, t), memory, mask).Logits; // (B, t, V)
            var last = logits.Narrow(1, t - 1, 1).ToArray(); // (B, 1, V)
            for (var b = 0; b < rows.Length; b++)
            {
                prefixes[b].Add(BertFinetuning.ArgMax(last, b * run.Model.VocabSize, run.Model.VocabSize));
            }
        }

        for (var b = 0; b < rows.Length; b++)
        {
            var generated = prefixes[b].Skip(1).ToList();
            var untilEnd = generated.IndexOf(end) is var at and >= 0 ? generated.Take(at + 1) : generated;
            Assert.Equal(untilEnd, cached[b]);
        }

        Assert.Contains(cached, r => r.Length > 3);
    }

    [Fact]
    public void A_pretrain_seq2seq_t5_folder_is_loaded_whole()
    {
        using var folder = new TempFolder();
        var text = folder.Sub("dates.txt");
        File.WriteAllText(text, string.Concat(File.ReadLines(RecipeData.Path("dates_train.csv")).Skip(1)));
        var pretraining = Seq2SeqPretraining.Create(Seq2SeqPretrainingConfig.FromSettings(new Dictionary<string, string>
        {
            ["objective"] = "t5",
            ["text"] = text,
            ["layers"] = "1",
            ["heads"] = "2",
            ["width"] = "32",
            ["block_size"] = "16",
            ["batch_size"] = "4",
            ["max_steps"] = "1",
            ["warmup_steps"] = "0",
            ["eval_batches"] = "1",
            ["output"] = folder.Sub("t5"),
        }));
        pretraining.Trainer.Train();

        var settings = Settings(folder.Sub("finetune"), 1);
        settings["model"] = folder.Sub("t5");
        settings["warmup_steps"] = "0";
        var run = Seq2SeqFinetuning.Create(FinetuneConfig.FromSettings(FinetuneTask.Seq2Seq, settings));
        Assert.Equal("T5ForConditionalGeneration", run.Model.Architecture);
        Assert.Empty(run.FreshParameters);
        var pretrained = pretraining.Model.Parameters.ToDictionary(p => p.Key, p => p.Value.ToArray());
        Assert.All(run.Parameters, p => Assert.Equal(pretrained[p.Key], p.Value.ToArray()));
        Assert.InRange(run.Trainer.Evaluate()["rouge_l"], 0d, 1d);
    }
}
