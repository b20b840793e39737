using Loom.Core;
using Loom.Kernels;
using Loom.Models.Gpt2;
using Loom.Nn;
using Xunit.Abstractions;

namespace Loom.Models.Tests.Training;

/// <summary>
/// Managed allocations of one GPT-2 training step (zero grad, forward with loss, backward, AdamW). Allocation counts
/// are deterministic, unlike time, so they can be bounded in a fast test. The bound is derived from what a step
/// cannot avoid: the forward outputs (measured as a no-grad forward of the same batch), one gradient buffer of the
/// same size per forward output in backward, and one fresh gradient per parameter (ZeroGrad drops the old ones).
/// </summary>
public sealed class TrainingStepAllocationTests(ITestOutputHelper output)
{
    [Fact]
    public void A_training_step_allocates_no_more_than_its_activations_twice_plus_its_gradients()
    {
        var saved = KernelOptions.DegreeOfParallelism;
        KernelOptions.DegreeOfParallelism = 1; // all work on this thread, so the per-thread counter sees every byte
        try
        {
            var config = new Gpt2Config { Layers = 2, Channels = 64, Heads = 4, VocabSize = 256, Positions = 32 };
            var weights = Weights.Initialize(new Generator(3));
            var model = new Gpt2LmHeadModel(weights, config);
            var parameters = model.Parameters.Select(p => p.Value).ToList();
            var optimizer = new AdamW(parameters, learningRate: 1e-3);
            var ids = IntTensor.FromArray([.. Enumerable.Range(0, 4 * 32).Select(i => (i * 37) % 256)], 4, 32);

            void Step()
            {
                optimizer.ZeroGrad();
                model.Forward(ids, labels: ids).Loss!.Backward();
                optimizer.Step();
            }

            void Forward()
            {
                using (Tensor.NoGrad())
                {
                    _ = model.Forward(ids, labels: ids).Loss!.Item();
                }
            }

            Step(); // JIT and the optimizer's moment buffers
            Step();
            Forward();
            var forward = Allocated(Forward);
            var step = Allocated(Step);
            var again = Allocated(Step);
            var gradients = 4L * parameters.Sum(p => (long)p.Count);
            var bound = (2 * forward) + gradients;
            output.WriteLine($"no-grad forward {forward:N0} B, step {step:N0} B, parameter gradients {gradients:N0} B, bound {bound:N0} B");
            Assert.InRange(again, step - 16384, step + 16384); // the same buffers every step (JIT tier-up and hash-set growth may differ by a few KiB)
            Assert.InRange(step, gradients, bound);
        }
        finally
        {
            KernelOptions.DegreeOfParallelism = saved;
        }
    }

    private static long Allocated(Action action)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
