// Dynamic loss scaling after Micikevicius et al., "Mixed Precision Training" (ICLR 2018) and the update rule of
// PyTorch's torch.cuda.amp.GradScaler: back off on an overflow (and skip that step), grow after a run of good steps.
using Loom.Core;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Loom.Training;

/// <summary>Scales the loss before backward and unscales (or rejects) the gradients before the optimizer step.</summary>
public sealed class DynamicLossScaler
{
    private readonly LossScalingOptions _options;

    /// <summary>Starts at <see cref="LossScalingOptions.InitialScale"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A factor or the interval is out of range.</exception>
    public DynamicLossScaler(LossScalingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.InitialScale > 0f) || !(options.GrowthFactor >= 1f) || !(options.BackoffFactor is > 0f and < 1f) || options.GrowthInterval < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options,
                "Loss scaling: expected InitialScale > 0, GrowthFactor ≥ 1, 0 < BackoffFactor < 1 and GrowthInterval ≥ 1.");
        }

        _options = options;
        State = new LossScalerState(options.InitialScale, 0, 0);
    }

    /// <summary>Scale, good-step counter and skipped-step count; settable to restore a checkpoint.</summary>
    public LossScalerState State { get; set; }

    /// <summary>The factor the loss is multiplied by before backward.</summary>
    public float Scale => State.Scale;

    /// <summary>
    /// After backward with the loss multiplied by <see cref="Scale"/>: when every gradient is finite, divides them by the
    /// scale in place, counts a good step (growing the scale after <see cref="LossScalingOptions.GrowthInterval"/> of
    /// them) and returns true; otherwise leaves them, backs the scale off, counts a skipped step and returns false.
    /// </summary>
    /// <exception cref="TrainingDivergedException">A gradient is not finite although the scale is at its minimum.</exception>
    public bool UnscaleOrSkip(int step, IReadOnlyList<KeyValuePair<string, Tensor>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (FirstNonFinite(parameters) is { } bad)
        {
            if (State.Scale <= _options.MinScale)
            {
                throw new TrainingDivergedException(step, $"the gradient of '{bad.Name}' (loss scale {State.Scale})", bad.Value);
            }

            State = new LossScalerState(State.Scale * _options.BackoffFactor, 0, State.SkippedSteps + 1);
            return false;
        }

        var inverse = 1f / State.Scale;
        foreach (var (_, parameter) in parameters)
        {
            if (parameter.Grad is { } grad)
            {
                var contiguous = grad.Contiguous();
                TensorPrimitives.Multiply(contiguous.AsSpan(), inverse, contiguous.AsSpan());
                parameter.Grad = contiguous;
            }
        }

        var good = State.GoodSteps + 1;
        State = good >= _options.GrowthInterval
            ? State with { Scale = State.Scale * _options.GrowthFactor, GoodSteps = 0 }
            : State with { GoodSteps = good };
        return true;
    }

    private static (string Name, float Value)? FirstNonFinite(IReadOnlyList<KeyValuePair<string, Tensor>> parameters)
    {
        foreach (var (name, parameter) in parameters)
        {
            if (parameter.Grad is not { } grad)
            {
                continue;
            }

            var values = grad.Contiguous().AsSpan();
            if (float.IsFinite(TensorPrimitives.Sum(values)))
            {
                continue;
            }

            foreach (var value in values)
            {
                if (!float.IsFinite(value))
                {
                    return (name, value);
                }
            }
        }

        return null;
    }
}
