using Loom.Kernels;

namespace Loom.Core.Tests;

/// <summary>
/// <see cref="Tensor.Autocast"/>: a product inside the scope equals the float32 product of operands rounded to bfloat16
/// beforehand, and its gradients are float32 products of the rounded upstream gradient and rounded operands — even when
/// the backward pass runs after the scope ended.
/// </summary>
public class AutocastTests
{
    [Fact]
    public void ProductEqualsTheProductOfRoundedOperands()
    {
        var x = Tensor.Randn(new Generator(1), 2, 7, 40); // (B, T, C)
        var w = Tensor.Randn(new Generator(2), 24, 40); // (out, C), used as x·Wᵀ like a tied head
        var v = Tensor.Randn(new Generator(3), 2, 40, 9); // batched right operand
        Tensor folded, batched;
        using (Tensor.Autocast())
        {
            folded = x.Matmul(w.Transpose(0, 1)); // (B, T, C)·(C, out) → (B, T, out)
            batched = x.Matmul(v); // (B, T, C)·(B, C, 9) → (B, T, 9)
        }

        AssertBits(Rounded(x).Matmul(Rounded(w).Transpose(0, 1)), folded);
        AssertBits(Rounded(x).Matmul(Rounded(v)), batched);
        Assert.NotEqual(x.Matmul(w.Transpose(0, 1)).ToArray(), folded.ToArray()); // the rounding is real
    }

    [Fact]
    public void GradientsAreProductsOfRoundedValuesAfterTheScopeEnds()
    {
        var x = Tensor.Randn(new Generator(4), 8, 40);
        var w = Tensor.Randn(new Generator(5), 40, 24);
        var upstream = Tensor.Randn(new Generator(6), 8, 24); // ∂loss/∂y, not a bfloat16 value
        x.RequiresGrad = true;
        w.RequiresGrad = true;
        Tensor y;
        using (Tensor.Autocast())
        {
            y = x.Matmul(w); // (8, 40)·(40, 24) → (8, 24)
        }

        (y * upstream).Sum().Backward(); // outside the scope: the recorded product keeps its precision
        AssertBits(Rounded(upstream).Matmul(Rounded(w).Transpose(0, 1)), x.Grad!); // dX = g·Wᵀ
        AssertBits(Rounded(x).Transpose(0, 1).Matmul(Rounded(upstream)), w.Grad!); // dW = Xᵀ·g
    }

    [Fact]
    public void ScopesNestAndRestoreFloat32()
    {
        var a = Tensor.Randn(new Generator(7), 6, 30);
        var b = Tensor.Randn(new Generator(8), 30, 5);
        var float32 = a.Matmul(b).ToArray();
        using (Tensor.Autocast())
        {
            using (Tensor.Autocast(GemmPrecision.Float32))
            {
                Assert.Equal(float32, a.Matmul(b).ToArray());
            }

            AssertBits(Rounded(a).Matmul(Rounded(b)), a.Matmul(b));
        }

        Assert.Equal(float32, a.Matmul(b).ToArray());
    }

    private static Tensor Rounded(Tensor t)
    {
        var values = t.ToArray();
        BFloat16Kernel.Round(values, values);
        return Tensor.FromArray(values, t.Shape.ToArray());
    }

    private static void AssertBits(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.Shape.ToArray(), actual.Shape.ToArray());
        Assert.Equal(expected.ToArray().Select(BitConverter.SingleToUInt32Bits), actual.ToArray().Select(BitConverter.SingleToUInt32Bits));
    }
}
