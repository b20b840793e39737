// Tolerances suggested by shared/fixtures/hf/README.md §6: |loom − hf| ≤ abs + rel·|hf| at valid positions, with
// 1e-4 + 1e-4·|ref| in general and 1e-3 absolute for BART and T5 (large activations).
namespace Loom.Models.Conformance;

/// <summary>An element passes when |actual − expected| ≤ <see cref="Absolute"/> + <see cref="Relative"/>·|expected|.</summary>
public sealed record Tolerance(double Absolute, double Relative)
{
    /// <summary>The README's default: 1e-4 absolute + 1e-4 relative.</summary>
    public static Tolerance Default { get; } = new(1e-4, 1e-4);

    /// <summary>The README's suggestion for a model type (<c>config.json</c> <c>model_type</c>).</summary>
    public static Tolerance ForModelType(string? modelType) =>
        modelType is "bart" or "t5" ? new Tolerance(1e-3, 1e-4) : Default;

    /// <summary>Whether <paramref name="actual"/> is within tolerance of <paramref name="expected"/> (NaN never is).</summary>
    public bool Accepts(double actual, double expected) =>
        Math.Abs(actual - expected) <= Absolute + (Relative * Math.Abs(expected));
}
