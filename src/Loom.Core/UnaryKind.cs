namespace Loom.Core;

/// <summary>Elementwise unary functions; each has a derivative rule in <see cref="Autograd.Backprop"/>.</summary>
internal enum UnaryKind
{
    Sqrt,
    Rsqrt,
    Exp,
    Log,
    Tanh,
    Sigmoid,
    Relu,
    GeluErf,
    GeluTanh,
    Silu,
    Erf,
}
