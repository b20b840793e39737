using System.CommandLine;
using Loom.Tokenizers;
using Loom.Tokenizers.Decoders;
using Loom.Tokenizers.Models;
using Loom.Tokenizers.PreTokenizers;
using Loom.Tokenizers.Processors;
using Loom.Tokenizers.Serialization;
using Loom.Tokenizers.Trainers;

namespace Loom.Cli.Commands;

/// <summary>
/// <c>loom tokenizer train</c>: trains a BPE (byte-level by default) or WordLevel tokenizer on text files and writes
/// tokenizer.json. The pipeline comes from <c>--template</c> (a tokenizer.json whose model is replaced) or defaults to
/// GPT-2 byte-level (bpe) / whitespace (wordlevel).
/// </summary>
internal static class TokenizerCommand
{
    public static Command Create()
    {
        var modelOption = new Option<string>("--model") { Description = "bpe or wordlevel", Required = true };
        var filesOption = new Option<string[]>("--files") { Description = "training text files", Required = true, AllowMultipleArgumentsPerToken = true };
        var outputOption = new Option<string>("--output") { Description = "where to write tokenizer.json", Required = true };
        var vocabOption = new Option<int>("--vocab-size") { Description = "vocabulary size", DefaultValueFactory = _ => 30000 };
        var minFreqOption = new Option<long>("--min-frequency") { Description = "minimum pair (bpe) or word (wordlevel) count", DefaultValueFactory = _ => 2 };
        var specialOption = new Option<string[]>("--special-tokens") { Description = "special tokens (first ids)", AllowMultipleArgumentsPerToken = true };
        var templateOption = new Option<string?>("--template") { Description = "tokenizer.json giving the normalizer / pre-tokenizer / post-processor / decoder" };
        var train = new Command("train", "Train a tokenizer (bpe: deterministic, byte-identical to Hugging Face; wordlevel likewise)");
        foreach (var o in new Option[] { modelOption, filesOption, outputOption, vocabOption, minFreqOption, specialOption, templateOption })
        {
            train.Options.Add(o);
        }

        train.SetAction(parseResult =>
        {
            try
            {
                string model = parseResult.GetValue(modelOption)!;
                var specials = parseResult.GetValue(specialOption) ?? [];
                string? templatePath = parseResult.GetValue(templateOption);
                var files = parseResult.GetValue(filesOption)!;
                Tokenizer trained;
                switch (model)
                {
                    case "bpe":
                        {
                            var template = templatePath is not null ? TokenizerJson.Load(templatePath) : new Tokenizer(new BpeModel(new Dictionary<string, int>(), []))
                            {
                                PreTokenizer = new ByteLevelPreTokenizer(false, true, true),
                                PostProcessor = new ByteLevelProcessor(false, false, true),
                                Decoder = new ByteLevelDecoder(false, true, true),
                            };
                            bool byteLevel = template.PreTokenizer is ByteLevelPreTokenizer;
                            var trainer = new BpeTrainer
                            {
                                VocabSize = parseResult.GetValue(vocabOption),
                                MinFrequency = parseResult.GetValue(minFreqOption),
                                SpecialTokens = specials,
                                InitialAlphabet = byteLevel ? ByteLevelAlphabet.Alphabet : [],
                            };
                            trained = trainer.TrainFromFiles(template, files);
                            break;
                        }

                    case "wordlevel":
                        {
                            var template = templatePath is not null ? TokenizerJson.Load(templatePath) : new Tokenizer(new WordLevelModel(new Dictionary<string, int>()))
                            {
                                PreTokenizer = new WhitespacePreTokenizer(),
                            };
                            var trainer = new WordLevelTrainer
                            {
                                VocabSize = parseResult.GetValue(vocabOption),
                                MinFrequency = parseResult.GetValue(minFreqOption),
                                SpecialTokens = specials,
                                UnkToken = specials.FirstOrDefault(s => s.Contains("unk", StringComparison.OrdinalIgnoreCase)) ?? "[UNK]",
                            };
                            trained = trainer.TrainFromFiles(template, files);
                            break;
                        }

                    default:
                        Console.Error.WriteLine($"loom tokenizer train: --model must be bpe or wordlevel, found '{model}' (WordPiece and Unigram trainers are not implemented yet).");
                        return 2;
                }

                TokenizerJsonWriter.Save(trained, parseResult.GetValue(outputOption)!);
                Console.WriteLine($"vocabulary {trained.GetVocabSize()} → {parseResult.GetValue(outputOption)}");
                return 0;
            }
            catch (Exception e) when (e is TokenizerException or IOException)
            {
                Console.Error.WriteLine($"loom tokenizer train: {e.Message}");
                return 1;
            }
        });
        var command = new Command("tokenizer", "Tokenizer tools");
        command.Subcommands.Add(train);
        return command;
    }
}
