// Affine layer y = x·Wᵀ + b (torch.nn.Linear; candle-nn linear.rs), also in the (in, out) storage of Hugging Face's
// GPT-2 Conv1D. The transposed weight is a view: GEMM reads it in place. A weight the root keeps quantised
// (Weights.GetQuantized: Q8_0 / Q4_0 from a GGUF file) stays so and is multiplied by the dequantising kernel.
using Loom.Core;

namespace Loom.Nn;

/// <summary>A linear (affine) layer with parameters <c>weight</c> and, optionally, <c>bias</c>.</summary>
public sealed class Linear
{
    private readonly Tensor? _weight;

    /// <summary>
    /// Binds <c>weight</c> (and <c>bias</c>) under <paramref name="weights"/>. Defaults follow torch.nn.Linear:
    /// U(−1/√in, 1/√in) for both.
    /// </summary>
    public Linear(Weights weights, int inFeatures, int outFeatures, bool bias = true, LinearLayout layout = LinearLayout.OutIn,
        Init? weightInit = null, Init? biasInit = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        var bound = 1f / MathF.Sqrt(inFeatures);
        var defaultInit = Init.Uniform(-bound, bound);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Layout = layout;
        QuantizedWeight = layout == LinearLayout.OutIn ? weights.GetQuantized("weight", outFeatures, inFeatures) : null;
        _weight = QuantizedWeight is null
            ? weights.Get("weight", layout == LinearLayout.OutIn ? [outFeatures, inFeatures] : [inFeatures, outFeatures], weightInit ?? defaultInit)
            : null;
        Bias = bias ? weights.Get("bias", [outFeatures], biasInit ?? defaultInit) : null;
    }

    /// <summary>Input width.</summary>
    public int InFeatures { get; }

    /// <summary>Output width.</summary>
    public int OutFeatures { get; }

    /// <summary>Storage of <see cref="Weight"/>.</summary>
    public LinearLayout Layout { get; }

    /// <summary>(out, in) or (in, out) depending on <see cref="Layout"/>.</summary>
    /// <exception cref="InvalidOperationException">The weight is quantised (<see cref="QuantizedWeight"/>): there is no float32 parameter to train.</exception>
    public Tensor Weight => _weight ?? throw new InvalidOperationException(
        $"This Linear's weight is stored quantised ({QuantizedWeight!.Format}, [{OutFeatures}, {InFeatures}]) for inference only; it has no float32 parameter to read or train. Use QuantizedWeight, or QuantizedWeight.Dequantize() for a float32 copy.");

    /// <summary>The (out, in) weight when it is kept quantised (inference only), else null.</summary>
    public QuantizedMatrix? QuantizedWeight { get; }

    /// <summary>(out), or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>The weight and bias as a <see cref="LinearMap"/> (for <see cref="LinearGroup"/>), or null for the (in, out) layout.</summary>
    internal LinearMap? Map =>
        Layout != LinearLayout.OutIn ? null
        : QuantizedWeight is { } quantized ? new LinearMap(quantized, Bias)
        : new LinearMap(Weight, Bias);

    /// <summary>(…, in) → (…, out).</summary>
    public Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank < 1 || x.Size(-1) != InFeatures)
        {
            throw new TensorShapeException($"Linear: expected input (…, {InFeatures}); found [{string.Join(", ", x.Shape)}].");
        }

        var input = x.Rank == 1 ? x.Unsqueeze(0) : x; // (1, in) for a single vector
        Tensor y;
        if (QuantizedWeight is not null)
        {
            y = QuantizedWeight.MultiplyTransposed(input); // (…, in)·(in, out) → (…, out), dequantised in the kernel
            y = Bias is null ? y : y + Bias;
        }
        else
        {
            var w = Layout == LinearLayout.OutIn ? Weight.Transpose(0, 1) : Weight; // (in, out)
            y = Bias is null ? input.Matmul(w) : input.MatmulAddBias(w, Bias); // (…, in)·(in, out) (+ b) → (…, out)
        }

        return x.Rank == 1 ? y.Squeeze(0) : y; // (out)
    }
}
