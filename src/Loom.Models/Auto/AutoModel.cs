// Choosing the model class from config.json, as transformers' AutoModel does: the first entry of `architectures` that
// has a registered loader, else the default class of `model_type`. Every family of this assembly is listed here by
// architecture name; others can be added with Register.
using Loom.Models.Bart;
using Loom.Models.Bert;
using Loom.Models.Bloom;
using Loom.Models.Conformance;
using Loom.Models.Decoding;
using Loom.Models.Gpt2;
using Loom.Models.Llama;
using Loom.Models.Qwen2;
using Loom.Models.Seq2Seq;
using Loom.Models.T5;

namespace Loom.Models.Auto;

/// <summary>Registry of model loaders keyed by Hugging Face architecture name.</summary>
public static class AutoModel
{
    private static readonly Dictionary<string, Func<string, IFixtureModel>> FixtureLoaders = new(StringComparer.Ordinal)
    {
        ["GPT2LMHeadModel"] = Gpt2FixtureModel.Load,
        ["LlamaForCausalLM"] = LlamaFixtureModel.Load,
        ["Qwen2ForCausalLM"] = Qwen2FixtureModel.Load,
        ["BloomForCausalLM"] = BloomFixtureModel.Load,
    };

    private static readonly Dictionary<string, Func<string, ICausalLm>> CausalLmLoaders = new(StringComparer.Ordinal)
    {
        ["GPT2LMHeadModel"] = Gpt2LmHeadModel.Load,
        ["LlamaForCausalLM"] = LlamaForCausalLm.Load,
        ["Qwen2ForCausalLM"] = dir => LlamaForCausalLm.Load(dir, Decoding.HfCheckpoint.ReadConfig<Qwen2Config>(dir)),
        ["BloomForCausalLM"] = BloomForCausalLm.Load,
    };

    private static readonly Dictionary<string, string> DefaultArchitecture = new(StringComparer.Ordinal)
    {
        ["gpt2"] = "GPT2LMHeadModel",
        ["llama"] = "LlamaForCausalLM",
        ["qwen2"] = "Qwen2ForCausalLM",
        ["bloom"] = "BloomForCausalLM",
    };

    private static readonly (string ModelType, Func<string, IFixtureModel> Load, string[] Architectures)[] EncoderFamilies =
    [
        ("bert", BertFixtureModel.Load, ["BertModel", "BertForMaskedLM", "BertForPreTraining", "BertForNextSentencePrediction", "BertForSequenceClassification", "BertForTokenClassification", "BertForQuestionAnswering", "BertForMultipleChoice"]),
        ("bart", BartFixtureModel.Load, ["BartForConditionalGeneration"]),
        ("t5", T5FixtureModel.Load, ["T5ForConditionalGeneration"]),
    ];

    /// <summary>Bare encoder-decoders (no LM head), each also the default class of its model_type as in HF AutoModel.</summary>
    private static readonly (string ModelType, string Architecture, Func<string, Seq2SeqModel> Load)[] BareSeq2Seq =
    [
        ("bart", "BartModel", BartModel.Load),
        ("t5", "T5Model", T5Model.Load),
    ];

    private static readonly object Gate = new();

    static AutoModel()
    {
        foreach (var (modelType, load, architectures) in EncoderFamilies)
        {
            foreach (var architecture in architectures)
            {
                FixtureLoaders[architecture] = load;
            }

            DefaultArchitecture[modelType] = architectures[0];
        }

        foreach (var (modelType, architecture, load) in BareSeq2Seq)
        {
            FixtureLoaders[architecture] = dir => new Seq2SeqModelFixtureModel(load(dir));
            DefaultArchitecture[modelType] = architecture;
        }
    }

    /// <summary>Architecture names that <see cref="LoadFixtureModel"/> can load.</summary>
    public static IReadOnlyCollection<string> FixtureArchitectures
    {
        get
        {
            lock (Gate)
            {
                return [.. FixtureLoaders.Keys.Order(StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Adds or replaces the fixture loader for <paramref name="architecture"/>.</summary>
    public static void Register(string architecture, Func<string, IFixtureModel> load)
    {
        ArgumentException.ThrowIfNullOrEmpty(architecture);
        ArgumentNullException.ThrowIfNull(load);
        lock (Gate)
        {
            FixtureLoaders[architecture] = load;
        }
    }

    /// <summary>The architecture AutoModel would build for the folder <paramref name="dir"/>.</summary>
    public static string ResolveArchitecture(string dir, bool causalLmOnly = false)
    {
        var config = AutoConfig.Load(dir);
        lock (Gate)
        {
            bool Known(string name) => causalLmOnly ? CausalLmLoaders.ContainsKey(name) : FixtureLoaders.ContainsKey(name);
            var fromList = config.Architectures?.FirstOrDefault(Known);
            if (fromList is not null)
            {
                return fromList;
            }

            if (config.Architectures is not { Count: > 0 } && config.ModelType is not null && DefaultArchitecture.TryGetValue(config.ModelType, out var byType) && Known(byType))
            {
                return byType;
            }

            IEnumerable<string> supported = causalLmOnly ? CausalLmLoaders.Keys : FixtureLoaders.Keys;
            throw new ModelLoadException($"{Path.Combine(dir, "config.json")}: unknown architecture: architectures [{string.Join(", ", config.Architectures ?? [])}], model_type '{config.ModelType}'; expected one of {string.Join(", ", supported.Order(StringComparer.Ordinal))}.");
        }
    }

    /// <summary>Loads the folder as an <see cref="IFixtureModel"/> (any registered family).</summary>
    public static IFixtureModel LoadFixtureModel(string dir)
    {
        var architecture = ResolveArchitecture(dir);
        Func<string, IFixtureModel> load;
        lock (Gate)
        {
            load = FixtureLoaders[architecture];
        }

        return load(dir);
    }

    /// <summary>
    /// Loads a folder as a decoder-only <see cref="ICausalLm"/> (GPT-2, LLaMA, Qwen2, BLOOM), or a llama.cpp GGUF file
    /// (architecture <c>llama</c>; Q8_0 / Q4_0 matrices stay quantised, see <see cref="GgufLlamaLoader"/>).
    /// </summary>
    public static ICausalLm LoadCausalLm(string dir) => IsGgufFile(dir)
        ? GgufLlamaLoader.Load(dir)
        : CausalLmLoaders[ResolveArchitecture(dir, causalLmOnly: true)](dir);

    /// <summary>Whether <paramref name="path"/> is a file that starts with the GGUF magic ("GGUF").</summary>
    public static bool IsGgufFile(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        Span<byte> magic = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && BitConverter.ToUInt32(magic) == Loom.Formats.Gguf.GgufFile.Magic;
    }

    /// <summary>Loads the folder as an encoder-decoder <see cref="ISeq2SeqLm"/> (BART, T5 conditional generation).</summary>
    public static ISeq2SeqLm LoadSeq2SeqLm(string dir) => ResolveArchitecture(dir) switch
    {
        "BartForConditionalGeneration" => BartForConditionalGeneration.Load(dir),
        "T5ForConditionalGeneration" => T5ForConditionalGeneration.Load(dir),
        var other => throw new ModelLoadException($"{Path.Combine(dir, "config.json")}: architecture {other} has no language-model head; expected BartForConditionalGeneration or T5ForConditionalGeneration."),
    };
}
