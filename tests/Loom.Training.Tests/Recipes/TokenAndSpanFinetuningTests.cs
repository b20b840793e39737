using Loom.Training.Recipes;
using Loom.Training.Tests.Trainer;

namespace Loom.Training.Tests.Recipes;

/// <summary>
/// `loom train finetune token-classification` and `finetune qa` on the tiny in-repo sets (examples/TrainRecipes/data): a
/// fresh tiny BERT learns the person / place tags (seqeval entity F1) and the "where does X live" answers (CMRC EM / F1).
/// </summary>
public sealed class TokenAndSpanFinetuningTests
{
    private static Dictionary<string, string> Settings(string task, string data, string output, int steps) => RecipeTestSettings.TinyModel(steps, new()
    {
        ["task"] = task,
        ["train"] = RecipeData.Path($"{data}_train.{(task == "finetune-qa" ? "json" : "jsonl")}"),
        ["validation"] = RecipeData.Path($"{data}_dev.{(task == "finetune-qa" ? "json" : "jsonl")}"),
        ["eval_every"] = "10",
        ["seed"] = "5",
        ["output"] = output,
    });

    private static Dictionary<string, string> QaSettings(string output)
    {
        var settings = Settings("finetune-qa", "qa", output, 40);
        settings["learning_rate"] = "5e-3";
        return settings;
    }

    [Fact]
    public void A_fresh_tiny_bert_learns_the_person_and_place_tags()
    {
        using var folder = new TempFolder();
        var run = TokenClassificationFinetuning.Create(FinetuneConfig.FromSettings(FinetuneTask.TokenClassification,
            Settings("finetune-token-classification", "ner", folder.Path, 40)));
        Assert.Equal(["B-LOC", "B-PER", "I-LOC", "I-PER", "O"], run.Labels);
        var before = run.Trainer.Evaluate();
        var result = run.Trainer.Train();
        var after = run.Trainer.Evaluate();
        Assert.True(result.BestMetric >= 0.9, $"best entity F1 {result.BestMetric:F3}: expected ≥ 0.9 (before training {before["f1"]:F3})");
        Assert.True(after["eval_loss"] < before["eval_loss"] / 4, $"eval_loss {before["eval_loss"]:F4} → {after["eval_loss"]:F4}");
        Assert.InRange(after["accuracy"], 0.9, 1.0);
    }

    [Fact]
    public void A_fresh_tiny_bert_learns_to_answer_where_someone_lives()
    {
        using var folder = new TempFolder();
        var run = QuestionAnsweringFinetuning.Create(FinetuneConfig.FromSettings(FinetuneTask.QuestionAnswering,
            QaSettings(folder.Path)));
        var before = run.Trainer.Evaluate();
        var result = run.Trainer.Train();
        var after = run.Trainer.Evaluate();
        Assert.True(result.BestMetric >= 0.6 && before["f1"] < 0.3, $"best F1 {result.BestMetric:F3}: expected ≥ 0.6 (before training {before["f1"]:F3})");
        Assert.InRange(after["exact_match"], 0d, after["f1"]); // an exact match scores F1 1
        Assert.True(after["eval_loss"] < before["eval_loss"] / 2, $"eval_loss {before["eval_loss"]:F4} → {after["eval_loss"]:F4}");
    }

    [Fact]
    public void Passages_longer_than_block_size_train_on_every_window_and_the_answers_are_found_across_windows()
    {
        using var folder = new TempFolder();
        // The tiny set's passages behind 40 characters of filler: block 32 leaves 23 − 29 passage tokens per window.
        var filler = new string('。', 40);
        string Longer(string name)
        {
            var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(RecipeData.Path(name)))!;
            foreach (var paragraph in json["data"]!.AsArray().SelectMany(a => a!["paragraphs"]!.AsArray()))
            {
                paragraph!["context"] = filler + (string)paragraph["context"]!;
                foreach (var answer in paragraph["qas"]!.AsArray().SelectMany(q => q!["answers"]!.AsArray()))
                {
                    answer!["answer_start"] = (int)answer["answer_start"]! + filler.Length;
                }
            }

            var path = folder.Sub(name);
            File.WriteAllText(path, json.ToJsonString());
            return path;
        }

        var settings = QaSettings(folder.Sub("run"));
        (settings["train"], settings["validation"], settings["doc_stride"]) = (Longer("qa_train.json"), Longer("qa_dev.json"), "8");
        var run = QuestionAnsweringFinetuning.Create(FinetuneConfig.FromSettings(FinetuneTask.QuestionAnswering, settings));
        var expected = Loom.Training.Data.CmrcReader.Read(settings["train"]).Sum(e => QaWindows.Split(e, run.Start.Vocabulary, 32, 8).Count);
        Assert.True(run.TrainWindows == expected && expected >= 3 * run.TrainExamples, $"{run.TrainWindows} windows of {run.TrainExamples} questions (expected {expected})");
        var before = run.Trainer.Evaluate();
        var result = run.Trainer.Train();
        Assert.True(result.BestMetric >= 0.5 && before["f1"] < 0.3, $"best F1 {result.BestMetric:F3}: expected ≥ 0.5 (before training {before["f1"]:F3})");
    }

    [Theory]
    [InlineData(FinetuneTask.TokenClassification, "text_field", "words", "a field 'words'")]
    [InlineData(FinetuneTask.TokenClassification, "train", "sentiment_train.csv", "token classification reads JSON Lines")]
    [InlineData(FinetuneTask.QuestionAnswering, "max_answer_length", "0", "Setting 'max_answer_length': expected ≥ 1")]
    [InlineData(FinetuneTask.QuestionAnswering, "block_size", "64", "Setting 'block_size': expected at most the model's max_position_embeddings (32)")]
    public void Bad_settings_are_rejected_with_the_setting_named(FinetuneTask task, string name, string value, string message)
    {
        using var folder = new TempFolder();
        var settings = task == FinetuneTask.QuestionAnswering ? Settings("finetune-qa", "qa", folder.Path, 2) : Settings("finetune-token-classification", "ner", folder.Path, 2);
        settings[name] = name == "train" ? RecipeData.Path(value) : value;
        if (name == "block_size")
        {
            settings["model"] = folder.Sub("pretrained");
            Directory.CreateDirectory(settings["model"]);
            File.WriteAllText(Path.Combine(settings["model"], "config.json"), """{"vocab_size": 6, "hidden_size": 8, "num_attention_heads": 2, "num_hidden_layers": 1, "max_position_embeddings": 32}""");
            File.WriteAllText(Path.Combine(settings["model"], "vocab.json"), """["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a"]""");
            File.WriteAllText(Path.Combine(settings["model"], "model.safetensors"), string.Empty);
        }

        var error = Assert.ThrowsAny<Exception>(() => task == FinetuneTask.QuestionAnswering
            ? (object)QuestionAnsweringFinetuning.Create(FinetuneConfig.FromSettings(task, settings))
            : TokenClassificationFinetuning.Create(FinetuneConfig.FromSettings(task, settings)));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
