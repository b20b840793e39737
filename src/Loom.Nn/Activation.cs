namespace Loom.Nn;

/// <summary>Pointwise non-linearities used by feed-forward blocks.</summary>
public enum Activation
{
    /// <summary>max(0, x).</summary>
    Relu,

    /// <summary>x·Φ(x) with the exact erf (HF "gelu").</summary>
    Gelu,

    /// <summary>The tanh approximation of GELU (HF "gelu_new", "gelu_pytorch_tanh").</summary>
    GeluTanh,

    /// <summary>x·σ(x) (HF "silu", "swish").</summary>
    Silu,
}
