// An AutoTokenizer-style entry point: loads whatever tokenizer files a path (file or model folder) holds.
using Loom.Tokenizers.Serialization;

namespace Loom.Tokenizers;

/// <summary>Loads a tokenizer from a file or a model folder.</summary>
public static class AutoTokenizer
{
    /// <summary>
    /// Loads <paramref name="path"/>: a tokenizer.json file, or a folder holding tokenizer.json, a BERT vocab.txt
    /// (do_lower_case read from tokenizer_config.json, default true), GPT-2 vocab.json + merges.txt, or a SentencePiece
    /// model (tokenizer.model, spiece.model, spm.model); a path ending in .model is read as SentencePiece.
    /// </summary>
    /// <exception cref="TokenizerException">Nothing loadable is there.</exception>
    public static Tokenizer Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (File.Exists(path))
        {
            return path.EndsWith(".model", StringComparison.OrdinalIgnoreCase) ? Formats.SentencePieceTokenizers.Load(path) : TokenizerJson.Load(path);
        }

        if (Directory.Exists(path))
        {
            string json = Path.Combine(path, "tokenizer.json");
            if (File.Exists(json))
            {
                return TokenizerJson.Load(json);
            }

            string vocabTxt = Path.Combine(path, "vocab.txt");
            if (File.Exists(vocabTxt))
            {
                return Formats.VocabFileTokenizers.Bert(vocabTxt, LowercaseSetting(path));
            }

            string vocabJson = Path.Combine(path, "vocab.json"), merges = Path.Combine(path, "merges.txt");
            if (File.Exists(vocabJson) && File.Exists(merges))
            {
                return Formats.VocabFileTokenizers.Gpt2(vocabJson, merges);
            }

            foreach (var name in new[] { "tokenizer.model", "spiece.model", "spm.model", "sentencepiece.bpe.model" })
            {
                string model = Path.Combine(path, name);
                if (File.Exists(model))
                {
                    return Formats.SentencePieceTokenizers.Load(model);
                }
            }

            throw new TokenizerException($"'{path}': expected tokenizer.json, vocab.txt, vocab.json + merges.txt or a SentencePiece .model in this folder, found none of them.");
        }

        throw new TokenizerException($"'{path}': expected a tokenizer file or a model folder, found nothing at that path.");
    }

    private static bool LowercaseSetting(string folder)
    {
        string config = Path.Combine(folder, "tokenizer_config.json");
        if (!File.Exists(config))
        {
            return true;
        }

        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(config));
        return !doc.RootElement.TryGetProperty("do_lower_case", out var v) || v.ValueKind != System.Text.Json.JsonValueKind.False;
    }
}
