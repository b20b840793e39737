// An AutoTokenizer-style entry point (transformers AutoTokenizer.from_pretrained): loads whatever tokenizer files a
// path (file or model folder) holds, in the order a Hugging Face folder is read — tokenizer.json first, then the
// original vocabulary files — and then the llama.cpp / llama2.c formats.
using Loom.Tokenizers.Formats;
using Loom.Tokenizers.Serialization;

namespace Loom.Tokenizers;

/// <summary>Loads a tokenizer from a file or a model folder.</summary>
public static class AutoTokenizer
{
    private static readonly string[] SentencePieceNames = ["tokenizer.model", "spiece.model", "spm.model", "sentencepiece.bpe.model"];

    /// <summary>What a folder is searched for, in order (for messages).</summary>
    public const string FolderContents =
        "tokenizer.json, vocab.txt (BERT), vocab.json + merges.txt (GPT-2), a SentencePiece model (tokenizer.model, spiece.model, spm.model, "
        + "sentencepiece.bpe.model), tokenizer.bin (llama2.c) or one *.gguf file";

    /// <summary>
    /// Loads <paramref name="path"/>. A file is read by its content or name: GGUF (magic "GGUF", any name; only the
    /// tokenizer metadata is read), *.model (SentencePiece), *.bin (llama2.c tokenizer.bin), vocab.txt (BERT),
    /// vocab.json (GPT-2, with merges.txt beside it), anything else as tokenizer.json. A folder is searched for
    /// <see cref="FolderContents"/>, first match wins; a BERT vocab.txt takes do_lower_case from tokenizer_config.json
    /// (default true).
    /// </summary>
    /// <exception cref="TokenizerException">Nothing loadable is there; the message lists what was looked for.</exception>
    public static Tokenizer Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (File.Exists(path))
        {
            return LoadFile(path);
        }

        if (Directory.Exists(path))
        {
            return LoadFolder(path);
        }

        throw new TokenizerException($"'{path}': expected a tokenizer file or a model folder ({FolderContents}), found nothing at that path.");
    }

    private static Tokenizer LoadFile(string path)
    {
        string name = Path.GetFileName(path);
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (IsGguf(path))
        {
            return GgufTokenizers.Load(path);
        }

        if (name.EndsWith(".model", StringComparison.OrdinalIgnoreCase))
        {
            return SentencePieceTokenizers.Load(path);
        }

        if (name.EndsWith(".bin", StringComparison.OrdinalIgnoreCase))
        {
            return Llama2CTokenizer.Load(path).ToTokenizer();
        }

        if (name.Equals("vocab.txt", StringComparison.OrdinalIgnoreCase))
        {
            return VocabFileTokenizers.Bert(path, LowercaseSetting(folder));
        }

        if (name.Equals("vocab.json", StringComparison.OrdinalIgnoreCase))
        {
            string merges = Path.Combine(folder, "merges.txt");
            return File.Exists(merges)
                ? VocabFileTokenizers.Gpt2(path, merges)
                : throw new TokenizerException($"'{path}': a GPT-2 vocab.json needs merges.txt in the same folder, found none at '{merges}'.");
        }

        return TokenizerJson.Load(path);
    }

    private static Tokenizer LoadFolder(string path)
    {
        string json = Path.Combine(path, "tokenizer.json");
        if (File.Exists(json))
        {
            return TokenizerJson.Load(json);
        }

        string vocabTxt = Path.Combine(path, "vocab.txt");
        if (File.Exists(vocabTxt))
        {
            return VocabFileTokenizers.Bert(vocabTxt, LowercaseSetting(path));
        }

        string vocabJson = Path.Combine(path, "vocab.json"), merges = Path.Combine(path, "merges.txt");
        if (File.Exists(vocabJson) && File.Exists(merges))
        {
            return VocabFileTokenizers.Gpt2(vocabJson, merges);
        }

        foreach (var name in SentencePieceNames)
        {
            string model = Path.Combine(path, name);
            if (File.Exists(model))
            {
                return SentencePieceTokenizers.Load(model);
            }
        }

        string bin = Path.Combine(path, "tokenizer.bin");
        if (File.Exists(bin))
        {
            return Llama2CTokenizer.Load(bin).ToTokenizer();
        }

        var ggufs = Directory.GetFiles(path, "*.gguf").Order(StringComparer.Ordinal).ToList();
        return ggufs.Count switch
        {
            1 => GgufTokenizers.Load(ggufs[0]),
            0 => throw new TokenizerException($"'{path}': expected {FolderContents} in this folder, found none of them."),
            _ => throw new TokenizerException(
                $"'{path}': found {ggufs.Count} .gguf files ({string.Join(", ", ggufs.Select(Path.GetFileName))}) and no other tokenizer file; pass the one to use."),
        };
    }

    private static bool IsGguf(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[4];
        return stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && magic.SequenceEqual("GGUF"u8);
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
