namespace Loom.Training;

/// <summary>Thrown when the loss, a gradient or a parameter stops being finite; names the step and the first bad tensor.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for <paramref name="tensorName"/> at optimizer step <paramref name="step"/>.</summary>
    public TrainingDivergedException(int step, string tensorName, float value)
        : base($"Training diverged at step {step}: {tensorName} holds {value} (expected finite values). " +
            "Lower the learning rate, enable gradient clipping or resume from an earlier checkpoint.")
    {
        (Step, TensorName, Value) = (step, tensorName, value);
    }

    /// <summary>Creates the exception with a message.</summary>
    public TrainingDivergedException(string message) : base(message) => TensorName = string.Empty;

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public TrainingDivergedException(string message, Exception innerException) : base(message, innerException) => TensorName = string.Empty;

    /// <summary>Creates the exception.</summary>
    public TrainingDivergedException() => TensorName = string.Empty;

    /// <summary>The 1-based optimizer step being computed when the bad value appeared.</summary>
    public int Step { get; }

    /// <summary>"loss", "gradient of 'name'" or "parameter 'name'".</summary>
    public string TensorName { get; }

    /// <summary>The first non-finite value found.</summary>
    public float Value { get; }
}
