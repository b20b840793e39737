// The model `loom generate` uses when no --model is given: Karpathy's TinyStories-260K (llama2.c stories260K.bin with
// its tok512.bin vocabulary, MIT; models/stories260K/), embedded in this assembly.
using Loom.Formats.Llama2c;
using Loom.Models.Llama;
using Loom.Tokenizers.Formats;

namespace Loom.Generation.Llama2c;

/// <summary>The embedded stories260K model and tokenizer.</summary>
public static class DefaultModel
{
    /// <summary>Loads the model, its tokenizer and its context length.</summary>
    public static (LlamaForCausalLm Model, Llama2CTokenizer Tokenizer, int SequenceLength) Load()
    {
        using var checkpoint = Llama2cCheckpoint.FromBytes(Resource("stories260K.bin"));
        var model = Llama2cLoader.Load(checkpoint);
        var tokenizer = Llama2CTokenizer.Parse(Resource("tok512.bin"), model.VocabSize, "embedded tok512.bin");
        return (model, tokenizer, checkpoint.Config.SeqLen);
    }

    private static byte[] Resource(string name)
    {
        using var stream = typeof(DefaultModel).Assembly.GetManifestResourceStream("Loom.Generation." + name)
            ?? throw new InvalidOperationException($"Embedded resource Loom.Generation.{name} is missing from {typeof(DefaultModel).Assembly.GetName().Name}.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
