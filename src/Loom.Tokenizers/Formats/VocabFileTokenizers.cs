// Tokenizers built from the original vocabulary files, in the layout Hugging Face's converters give them
// (transformers convert_slow_tokenizer.py: BertConverter, GPT2Converter): BERT vocab.txt (one token per line, id =
// line number) and GPT-2 vocab.json + merges.txt ("#version" header, then one "left right" merge per line).
using System.Text.Json;
using Loom.Tokenizers.Decoders;
using Loom.Tokenizers.Models;
using Loom.Tokenizers.Normalizers;
using Loom.Tokenizers.PreTokenizers;
using Loom.Tokenizers.Processors;

namespace Loom.Tokenizers.Formats;

/// <summary>Builds tokenizers from BERT and GPT-2 vocabulary files.</summary>
public static class VocabFileTokenizers
{
    /// <summary>Reads a BERT vocab.txt: token → line number.</summary>
    /// <exception cref="TokenizerException">The file is empty.</exception>
    public static Dictionary<string, int> ReadBertVocab(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        int id = 0;
        foreach (var raw in File.ReadLines(path))
        {
            string line = raw.TrimEnd('\r');
            vocab.TryAdd(line, id++);
        }

        return vocab.Count > 0 ? vocab : throw new TokenizerException($"{path}: expected one token per line, found an empty file.");
    }

    /// <summary>A BERT tokenizer (BertNormalizer, BertPreTokenizer, WordPiece, [CLS] A [SEP] template, WordPiece decoder).</summary>
    /// <exception cref="TokenizerException">A special token is missing from the vocabulary.</exception>
    public static Tokenizer Bert(string vocabTxt, bool lowercase = true, bool? stripAccents = null, bool handleChineseChars = true)
    {
        var vocab = ReadBertVocab(vocabTxt);
        int Id(string token) => vocab.TryGetValue(token, out int id) ? id : throw new TokenizerException($"{vocabTxt}: expected the special token {token} in the vocabulary, it is missing.");
        int cls = Id("[CLS]"), sep = Id("[SEP]");
        var specials = new Dictionary<string, SpecialTokenEntry>
        {
            ["[CLS]"] = new("[CLS]", [cls], ["[CLS]"]),
            ["[SEP]"] = new("[SEP]", [sep], ["[SEP]"]),
        };
        var tokenizer = new Tokenizer(new WordPieceModel(vocab, "[UNK]", "##", 100))
        {
            Normalizer = new BertNormalizer(true, handleChineseChars, stripAccents, lowercase),
            PreTokenizer = new BertPreTokenizer(),
            PostProcessor = new TemplateProcessing(
                [new(false, 0, "[CLS]", 0), new(true, 0, null, 0), new(false, 0, "[SEP]", 0)],
                [new(false, 0, "[CLS]", 0), new(true, 0, null, 0), new(false, 0, "[SEP]", 0), new(true, 1, null, 1), new(false, 0, "[SEP]", 1)],
                specials),
            Decoder = new WordPieceDecoder("##", true),
        };
        tokenizer.AddTokens(new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" }
            .Where(vocab.ContainsKey).Select(t => new AddedToken(t, vocab[t], Special: true, Normalized: false)).ToList());
        return tokenizer;
    }

    /// <summary>Reads merges.txt (skipping a "#version" header and blank lines).</summary>
    /// <exception cref="TokenizerException">A line is not two tokens separated by a space.</exception>
    public static List<(string Left, string Right)> ReadMerges(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var merges = new List<(string, string)>();
        int lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            string line = raw.TrimEnd('\r');
            if (line.Length == 0 || (lineNumber == 1 && line.StartsWith("#version", StringComparison.Ordinal)))
            {
                continue;
            }

            var parts = line.Split(' ');
            if (parts.Length != 2)
            {
                throw new TokenizerException($"{path}:{lineNumber}: expected \"left right\", found \"{line}\".");
            }

            merges.Add((parts[0], parts[1]));
        }

        return merges;
    }

    /// <summary>Reads vocab.json (token → id).</summary>
    /// <exception cref="TokenizerException">The file is not a JSON object of integers.</exception>
    public static Dictionary<string, int> ReadJsonVocab(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(path))
                ?? throw new TokenizerException($"{path}: expected a JSON object of token → id, found null.");
        }
        catch (JsonException e)
        {
            throw new TokenizerException($"{path}: expected a JSON object of token → id ({e.Message}).", e);
        }
    }

    /// <summary>A GPT-2 tokenizer (byte-level BPE with &lt;|endoftext|&gt;).</summary>
    public static Tokenizer Gpt2(string vocabJson, string mergesTxt, bool addPrefixSpace = false)
    {
        var vocab = ReadJsonVocab(vocabJson);
        var tokenizer = new Tokenizer(new BpeModel(vocab, ReadMerges(mergesTxt)))
        {
            PreTokenizer = new ByteLevelPreTokenizer(addPrefixSpace, true, true),
            PostProcessor = new ByteLevelProcessor(true, false, true),
            Decoder = new ByteLevelDecoder(),
        };
        if (vocab.TryGetValue("<|endoftext|>", out int eot))
        {
            tokenizer.AddTokens([new AddedToken("<|endoftext|>", eot, Special: true, Normalized: true)]);
        }

        return tokenizer;
    }
}
