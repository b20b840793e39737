// Activation lookup by Hugging Face config name (transformers/activations.py ACT2FN keys) and application.
using Loom.Core;

namespace Loom.Nn;

/// <summary>Applies an <see cref="Activation"/> and maps HF <c>hidden_act</c> / <c>activation_function</c> names.</summary>
public static class Activations
{
    /// <summary>act(x), elementwise.</summary>
    public static Tensor Apply(this Activation activation, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return activation switch
        {
            Activation.Relu => x.Relu(),
            Activation.Gelu => x.Gelu(),
            Activation.GeluTanh => x.GeluTanh(),
            Activation.Silu => x.Silu(),
            _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
        };
    }

    /// <summary>The activation for an HF config name such as "gelu_new", "gelu", "relu", "silu".</summary>
    public static Activation FromHfName(string name) => name switch
    {
        "relu" => Activation.Relu,
        "gelu" => Activation.Gelu,
        "gelu_new" or "gelu_pytorch_tanh" or "gelu_fast" => Activation.GeluTanh,
        "silu" or "swish" => Activation.Silu,
        _ => throw new ArgumentException($"Unknown activation '{name}': expected one of relu, gelu, gelu_new, gelu_pytorch_tanh, gelu_fast, silu, swish.", nameof(name)),
    };
}
