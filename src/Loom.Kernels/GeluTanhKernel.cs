// The tanh form of GELU, y = ½ x (1 + tanh(√(2/π) (x + 0.044715 x³))) (Hendrycks & Gimpel 2016; HF "gelu_new"), as
// eight TensorPrimitives passes over cache-sized chunks instead of over the whole tensor, split across threads at
// fixed boundaries. A chunk takes the rest of its range once fewer than two chunks remain, so only a span shorter
// than one vector ever leaves TensorPrimitives' vector path, and every element gets the same bits for any thread count.
using System.Numerics.Tensors;

namespace Loom.Kernels;

/// <summary>The chunked, threaded forward pass behind <see cref="ActivationKernels.GeluTanh"/>.</summary>
internal static class GeluTanhKernel
{
    private const float SqrtTwoOverPi = (float)0.79788456080286535588;
    private const float CubeScale = (float)(0.79788456080286535588 * 0.044715); // √(2/π) · k

    /// <summary>Elements per chunk: the eight passes over one chunk stay in the L1 cache.</summary>
    private const int Chunk = 2048;

    /// <summary>y = GELU_tanh(x) for equal-length spans.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y) => ElementRanges.Map(x, y, Range);

    private static void Range(ReadOnlySpan<float> x, Span<float> y)
    {
        for (var start = 0; start < x.Length;)
        {
            var length = x.Length - start < 2 * Chunk ? x.Length - start : Chunk;
            Pass(x.Slice(start, length), y.Slice(start, length));
            start += length;
        }
    }

    /// <summary>y = ½ x (1 + tanh(x (c + c·k·x²))); y itself holds the intermediate values.</summary>
    private static void Pass(ReadOnlySpan<float> x, Span<float> y)
    {
        TensorPrimitives.Multiply(x, x, y);
        TensorPrimitives.Multiply(y, CubeScale, y);
        TensorPrimitives.Add(y, SqrtTwoOverPi, y);
        TensorPrimitives.Multiply(y, x, y);
        TensorPrimitives.Tanh(y, y);
        TensorPrimitives.Add(y, 1f, y);
        TensorPrimitives.Multiply(y, x, y);
        TensorPrimitives.Multiply(y, 0.5f, y);
    }
}
