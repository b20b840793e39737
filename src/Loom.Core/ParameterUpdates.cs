// In-place parameter updates for the optimizers of Loom.Nn, run by the vectorised, multi-threaded kernels of
// Loom.Kernels (AdamW: Loshchilov & Hutter 2019, in torch.optim.AdamW's operation order).
using Loom.Kernels;

namespace Loom.Core;

/// <summary>Optimizer steps over raw parameter and state buffers, threaded with <see cref="KernelOptions.DegreeOfParallelism"/>.</summary>
public static class ParameterUpdates
{
    /// <summary>
    /// One AdamW step (number <paramref name="step"/>, 1-based) of <paramref name="parameter"/> with its moments
    /// <paramref name="m"/> and <paramref name="v"/>, all of the same length: p ·= 1 − lr·λ, then the bias-corrected
    /// Adam update. λ = 0 gives plain Adam without weight decay. Bit-identical for every thread count.
    /// </summary>
    public static void AdamW(Span<float> parameter, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v,
        double learningRate, double beta1, double beta2, double eps, double weightDecay, int step) =>
        AdamWKernel.StepParallel(parameter, gradient, m, v, new AdamWSettings(learningRate, beta1, beta2, eps, weightDecay), step,
            KernelOptions.DegreeOfParallelism);
}
