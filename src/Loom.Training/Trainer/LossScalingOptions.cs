namespace Loom.Training;

/// <summary>
/// Dynamic loss scaling (Micikevicius et al., "Mixed Precision Training", ICLR 2018, §3.2; the defaults of PyTorch's
/// <c>torch.cuda.amp.GradScaler</c>): the loss is multiplied by a scale before backward so that small gradients do not
/// underflow, the gradients are divided by it before the optimizer step, and a step whose gradients overflowed to
/// ±∞/NaN is skipped and the scale backed off.
/// </summary>
/// <remarks>
/// Loss scaling exists for float16, whose largest value is 65504 and whose smallest subnormal is 2⁻²⁴. bfloat16 has
/// float32's exponent range, so with bfloat16 autocast no gradient underflows that would not underflow in float32, and a
/// power-of-two scale changes no bit of the unscaled gradients (multiplying and dividing by 2ⁿ is exact away from the
/// ends of the range). With bfloat16 the scaler is therefore optional: what it adds is that a step with a non-finite
/// gradient is skipped (and counted) instead of stopping the run.
/// </remarks>
public sealed record LossScalingOptions
{
    /// <summary>The first scale (a power of two keeps scaling exact).</summary>
    public float InitialScale { get; init; } = 65536f;

    /// <summary>Factor applied to the scale after <see cref="GrowthInterval"/> consecutive finite steps.</summary>
    public float GrowthFactor { get; init; } = 2f;

    /// <summary>Factor applied to the scale after a step with a non-finite gradient.</summary>
    public float BackoffFactor { get; init; } = 0.5f;

    /// <summary>Consecutive steps with finite gradients before the scale grows.</summary>
    public int GrowthInterval { get; init; } = 2000;

    /// <summary>
    /// A non-finite gradient found while the scale is at or below this value is not an overflow caused by scaling: the
    /// run stops with <see cref="TrainingDivergedException"/> as it would without a scaler.
    /// </summary>
    public float MinScale { get; init; } = 1f;
}
