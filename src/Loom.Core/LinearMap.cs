namespace Loom.Core;

/// <summary>
/// The weight W (stored (out, in), as torch.nn.Linear keeps it) and optional bias of one linear map y = x·Wᵀ + b in a
/// <see cref="Tensor.TryLinearGroup"/> call: a float32 tensor or a <see cref="QuantizedMatrix"/>.
/// </summary>
public readonly struct LinearMap
{
    /// <summary>A float32 weight (out, in) and optional bias (out).</summary>
    public LinearMap(Tensor weight, Tensor? bias = null)
    {
        ArgumentNullException.ThrowIfNull(weight);
        (Weight, Bias) = (weight, bias);
    }

    /// <summary>A quantised weight (out, in) and optional bias (out).</summary>
    public LinearMap(QuantizedMatrix weight, Tensor? bias = null)
    {
        ArgumentNullException.ThrowIfNull(weight);
        (QuantizedWeight, Bias) = (weight, bias);
    }

    /// <summary>The float32 weight, or null when it is quantised.</summary>
    public Tensor? Weight { get; }

    /// <summary>The quantised weight, or null when it is float32.</summary>
    public QuantizedMatrix? QuantizedWeight { get; }

    /// <summary>The bias, or null.</summary>
    public Tensor? Bias { get; }
}
