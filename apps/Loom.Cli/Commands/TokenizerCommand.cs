using System.CommandLine;
using Loom.Tokenizers;
using Loom.Tokenizers.Decoders;
using Loom.Tokenizers.Models;
using Loom.Tokenizers.Normalizers;
using Loom.Tokenizers.PreTokenizers;
using Loom.Tokenizers.Processors;
using Loom.Tokenizers.Serialization;
using Loom.Tokenizers.Trainers;

namespace Loom.Cli.Commands;

/// <summary>
/// <c>loom tokenizer train</c>: trains a BPE (byte-level by default), WordPiece, Unigram or WordLevel tokenizer on text
/// files and writes tokenizer.json. The pipeline comes from <c>--template</c> (a tokenizer.json whose model is replaced)
/// or defaults to GPT-2 byte-level (bpe), BERT (wordpiece), NFKC + Metaspace (unigram) or whitespace (wordlevel).
/// </summary>
internal static class TokenizerCommand
{
    public static Command Create()
    {
        var modelOption = new Option<string>("--model") { Description = "bpe, wordpiece, unigram or wordlevel", Required = true };
        var filesOption = new Option<string[]>("--files") { Description = "training text files", Required = true, AllowMultipleArgumentsPerToken = true };
        var outputOption = new Option<string>("--output") { Description = "where to write tokenizer.json", Required = true };
        var vocabOption = new Option<int>("--vocab-size") { Description = "vocabulary size", DefaultValueFactory = _ => 30000 };
        var minFreqOption = new Option<long>("--min-frequency") { Description = "minimum pair (bpe, wordpiece) or word (wordlevel) count", DefaultValueFactory = _ => 2 };
        var limitAlphabetOption = new Option<int?>("--limit-alphabet") { Description = "keep only this many most frequent characters (bpe, wordpiece)" };
        var unkOption = new Option<string?>("--unk-token") { Description = "unknown token (unigram: default <unk>; wordpiece: default [UNK])" };
        var specialOption = new Option<string[]>("--special-tokens") { Description = "special tokens (first ids)", AllowMultipleArgumentsPerToken = true };
        var templateOption = new Option<string?>("--template") { Description = "tokenizer.json giving the normalizer / pre-tokenizer / post-processor / decoder" };
        var train = new Command("train", "Train a tokenizer (bpe and wordlevel byte-identical to Hugging Face; wordpiece and unigram deterministic, matching HF's held-out token counts)");
        foreach (var o in new Option[] { modelOption, filesOption, outputOption, vocabOption, minFreqOption, specialOption, templateOption, limitAlphabetOption, unkOption })
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
                                LimitAlphabet = parseResult.GetValue(limitAlphabetOption),
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

                    case "wordpiece":
                        {
                            string unk = parseResult.GetValue(unkOption) ?? "[UNK]";
                            var template = templatePath is not null ? TokenizerJson.Load(templatePath) : new Tokenizer(new WordPieceModel(new Dictionary<string, int>(), unk))
                            {
                                Normalizer = new BertNormalizer(),
                                PreTokenizer = new BertPreTokenizer(),
                                Decoder = new WordPieceDecoder(),
                            };
                            var trainer = new WordPieceTrainer
                            {
                                VocabSize = parseResult.GetValue(vocabOption),
                                MinFrequency = parseResult.GetValue(minFreqOption),
                                SpecialTokens = specials,
                                LimitAlphabet = parseResult.GetValue(limitAlphabetOption),
                            };
                            trained = trainer.TrainFromFiles(template, files);
                            break;
                        }

                    case "unigram":
                        {
                            var template = templatePath is not null ? TokenizerJson.Load(templatePath) : new Tokenizer(new UnigramModel([("<unk>", 0.0)], 0))
                            {
                                Normalizer = new UnicodeNormalizer(NormalizationForm.Nfkc),
                                PreTokenizer = new MetaspacePreTokenizer(),
                                Decoder = new MetaspaceDecoder(),
                            };
                            var trainer = new UnigramTrainer
                            {
                                VocabSize = parseResult.GetValue(vocabOption),
                                SpecialTokens = specials,
                                UnkToken = parseResult.GetValue(unkOption) ?? "<unk>",
                            };
                            trained = trainer.TrainFromFiles(template, files);
                            break;
                        }

                    default:
                        Console.Error.WriteLine($"loom tokenizer train: --model must be bpe, wordpiece, unigram or wordlevel, found '{model}'.");
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
