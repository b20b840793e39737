// The memory side of `loom bench generate`: bytes allocated per decoded token (all threads, GC.GetTotalAllocatedBytes)
// by the model's forward pass alone and by TextGenerator's whole sampling loop around it (session, processors,
// top-p, sampler), batch 1 after a 16-token prompt, prefill and the first token excluded.
using Loom.Core;
using Loom.Generation;
using Loom.Models.Decoding;
using Loom.Models.Llama;

namespace Loom.Cli.Commands;

/// <summary>Allocated bytes per generated token.</summary>
internal static class BenchGenerateAllocations
{
    private const int PromptLength = 16;

    /// <summary>Bytes per token of <paramref name="tokens"/> forward passes (KV cache, batch 1) and of a top-p 0.9 sampling loop as long.</summary>
    public static (double Forward, double SamplingLoop) BytesPerToken(LlamaForCausalLm model, int tokens)
    {
        var rng = new Random(2);
        int[] prompt = [.. Enumerable.Range(0, PromptLength).Select(_ => rng.Next(model.VocabSize))];
        double forward;
        using (Tensor.NoGrad())
        {
            var cache = new DecoderCache(model.LayerCount, PromptLength + tokens);
            model.Forward(IntTensor.FromArray(prompt, 1, PromptLength), cache: cache);
            var before = GC.GetTotalAllocatedBytes(precise: true);
            for (var s = 0; s < tokens; s++)
            {
                GC.KeepAlive(model.Forward(IntTensor.FromArray([rng.Next(model.VocabSize)], 1, 1), cache: cache).Logits); // (1, 1, V)
            }

            forward = (double)(GC.GetTotalAllocatedBytes(precise: true) - before) / tokens;
        }

        var options = new GenerationOptions { MaxNewTokens = tokens + 1, DoSample = true, TopP = 0.9f, FixedKvCache = true, Seed = 1 };
        using var steps = new TextGenerator(model).Steps(new PromptBatch([prompt], [[.. Enumerable.Repeat(1, PromptLength)]]), options).GetEnumerator();
        steps.MoveNext();
        var start = GC.GetTotalAllocatedBytes(precise: true);
        var count = 0;
        while (steps.MoveNext())
        {
            count++;
        }

        return (forward, (double)(GC.GetTotalAllocatedBytes(precise: true) - start) / count);
    }
}
