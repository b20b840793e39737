using Loom.Core;
using Loom.Kernels;
using Loom.Models.Gpt2;
using Loom.Nn;
using Xunit.Abstractions;

namespace Loom.Models.Tests.Training;

/// <summary>
/// Managed allocations of one GPT-2 training step (zero grad, forward with loss, backward, AdamW). Allocation counts
/// are nearly deterministic, unlike time, so they can be bounded in a fast test. A plain step is bounded by what it
/// cannot avoid: the forward outputs (measured as a no-grad forward of the same batch), one gradient buffer of the
/// same size per forward output in backward, and one fresh gradient per parameter. A step that releases its graph and
/// its gradients (the training loop's form) must reuse nearly all of those buffers. The engine's buffer pool is one
/// per process, so these tests run alone (a test running beside them could take a pooled buffer between two steps).
/// </summary>
[Collection(nameof(TrainingStepAllocationTests))]
public sealed class TrainingStepAllocationTests(ITestOutputHelper output)
{
    [Fact]
    public void A_training_step_allocates_no_more_than_its_activations_twice_plus_its_gradients()
    {
        var (model, parameters, step, forward) = Setup(release: false);
        step();
        step();
        forward();
        var forwardBytes = Allocated(forward);
        var stepBytes = LeastOfThree(step);
        var gradients = 4L * parameters.Sum(p => (long)p.Count);
        var bound = (2 * forwardBytes) + gradients;
        output.WriteLine($"{model.Config.Layers} layers: no-grad forward {forwardBytes:N0} B, step {stepBytes:N0} B, parameter gradients {gradients:N0} B, bound {bound:N0} B");
        Assert.InRange(stepBytes, 1, bound);
    }

    [Fact]
    public void A_step_that_releases_its_graph_and_gradients_reuses_their_buffers()
    {
        var (_, _, plain, _) = Setup(release: false);
        plain();
        plain();
        var plainBytes = LeastOfThree(plain);
        var (_, _, released, _) = Setup(release: true);
        released();
        released();
        var releasedBytes = LeastOfThree(released);
        output.WriteLine($"plain step {plainBytes:N0} B, released step {releasedBytes:N0} B");
        Assert.InRange(releasedBytes, 0, plainBytes / 8); // activations, their gradients and the parameter gradients reused
    }

    private static (Gpt2LmHeadModel Model, List<Tensor> Parameters, Action Step, Action Forward) Setup(bool release)
    {
        var config = new Gpt2Config { Layers = 2, Channels = 64, Heads = 4, VocabSize = 256, Positions = 32 };
        var weights = Weights.Initialize(new Generator(3));
        var model = new Gpt2LmHeadModel(weights, config);
        var parameters = model.Parameters.Select(p => p.Value).ToList();
        var optimizer = new AdamW(parameters, learningRate: 1e-3);
        var ids = IntTensor.FromArray([.. Enumerable.Range(0, 4 * 32).Select(i => (i * 37) % 256)], 4, 32);
        void Step()
        {
            optimizer.ZeroGrad(releaseBuffers: release);
            var loss = model.Forward(ids, labels: ids).Loss!;
            if (release)
            {
                loss.Backward(releaseGraph: true);
            }
            else
            {
                loss.Backward();
            }

            optimizer.Step();
        }

        void Forward()
        {
            using (Tensor.NoGrad())
            {
                _ = model.Forward(ids, labels: ids).Loss!.Item();
            }
        }

        return (model, parameters, Step, Forward);
    }

    private static long LeastOfThree(Action action) => new[] { Allocated(action), Allocated(action), Allocated(action) }.Min();

    /// <summary>Bytes allocated by <paramref name="action"/> at one kernel thread, so the per-thread counter sees every byte.</summary>
    private static long Allocated(Action action)
    {
        var saved = KernelOptions.DegreeOfParallelism;
        KernelOptions.DegreeOfParallelism = 1;
        try
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            action();
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        finally
        {
            KernelOptions.DegreeOfParallelism = saved;
        }
    }
}

/// <summary>Runs <see cref="TrainingStepAllocationTests"/> with no other test beside it.</summary>
[CollectionDefinition(nameof(TrainingStepAllocationTests), DisableParallelization = true)]
public sealed class TrainingStepAllocationCollection;
