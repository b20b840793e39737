// Elementwise arithmetic with NumPy/PyTorch broadcasting. Contiguous rows go through TensorPrimitives; broadcast
// rows with a stride of 0 use the scalar overloads.
using System.Numerics.Tensors;
using Loom.Core.Autograd;
using Loom.Kernels;

namespace Loom.Core;

public sealed partial class Tensor
{
    /// <summary>Elementwise sum with broadcasting.</summary>
    public Tensor Add(Tensor other) => Binary(this, other, BinaryKind.Add);

    /// <summary>Elementwise difference with broadcasting.</summary>
    public Tensor Sub(Tensor other) => Binary(this, other, BinaryKind.Sub);

    /// <summary>Elementwise product with broadcasting.</summary>
    public Tensor Mul(Tensor other) => Binary(this, other, BinaryKind.Mul);

    /// <summary>Elementwise quotient with broadcasting.</summary>
    public Tensor Div(Tensor other) => Binary(this, other, BinaryKind.Div);

    /// <summary>x · scale + shift, elementwise.</summary>
    public Tensor Affine(float scale, float shift)
    {
        var x = ReadSpan();
        var data = Uninitialized(Count);
        TensorPrimitives.Multiply(x, scale, data);
        if (shift != 0f)
        {
            TensorPrimitives.Add(data, shift, data);
        }
        return Record(new Tensor(data, (int[])_shape.Clone()), new AffineOp(this, scale), this);
    }

    /// <summary>−x.</summary>
    public Tensor Neg() => Affine(-1f, 0f);

    /// <summary>x^exponent elementwise (a scalar exponent).</summary>
    public Tensor Pow(float exponent)
    {
        var data = Uninitialized(Count);
        TensorPrimitives.Pow(ReadSpan(), exponent, data);
        return Record(new Tensor(data, (int[])_shape.Clone()), new PowOp(this, exponent), this);
    }

    /// <summary>√x.</summary>
    public Tensor Sqrt() => Unary(UnaryKind.Sqrt);

    /// <summary>1/√x.</summary>
    public Tensor Rsqrt() => Unary(UnaryKind.Rsqrt);

    /// <summary>eˣ.</summary>
    public Tensor Exp() => Unary(UnaryKind.Exp);

    /// <summary>Natural logarithm.</summary>
    public Tensor Log() => Unary(UnaryKind.Log);

    /// <summary>Hyperbolic tangent.</summary>
    public Tensor Tanh() => Unary(UnaryKind.Tanh);

    /// <summary>Logistic sigmoid 1/(1 + e⁻ˣ).</summary>
    public Tensor Sigmoid() => Unary(UnaryKind.Sigmoid);

    /// <summary>max(x, 0).</summary>
    public Tensor Relu() => Unary(UnaryKind.Relu);

    /// <summary>GELU, exact erf form (torch "none" approximation; HF "gelu").</summary>
    public Tensor Gelu() => Unary(UnaryKind.GeluErf);

    /// <summary>GELU, tanh approximation (HF "gelu_new" / "gelu_pytorch_tanh").</summary>
    public Tensor GeluTanh() => Unary(UnaryKind.GeluTanh);

    /// <summary>SiLU / swish: x · σ(x).</summary>
    public Tensor Silu() => Unary(UnaryKind.Silu);

    /// <summary>The error function.</summary>
    public Tensor Erf() => Unary(UnaryKind.Erf);

    /// <summary>Elementwise sum.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => Binary(a, b, BinaryKind.Add);

    /// <summary>Elementwise difference.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => Binary(a, b, BinaryKind.Sub);

    /// <summary>Elementwise product.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => Binary(a, b, BinaryKind.Mul);

    /// <summary>Elementwise quotient.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => Binary(a, b, BinaryKind.Div);

    /// <summary>Adds a scalar.</summary>
    public static Tensor operator +(Tensor a, float b) => NotNull(a).Affine(1f, b);

    /// <summary>Subtracts a scalar.</summary>
    public static Tensor operator -(Tensor a, float b) => NotNull(a).Affine(1f, -b);

    /// <summary>Multiplies by a scalar.</summary>
    public static Tensor operator *(Tensor a, float b) => NotNull(a).Affine(b, 0f);

    /// <summary>Multiplies by a scalar.</summary>
    public static Tensor operator *(float a, Tensor b) => NotNull(b).Affine(a, 0f);

    /// <summary>Divides by a scalar.</summary>
    public static Tensor operator /(Tensor a, float b) => NotNull(a).Affine(1f / b, 0f);

    /// <summary>Negation.</summary>
    public static Tensor operator -(Tensor a) => NotNull(a).Neg();

    /// <summary>Picks <paramref name="a"/> where <paramref name="condition"/> is non-zero, else <paramref name="b"/> (all broadcast).</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var shape = ShapeMath.Broadcast(ShapeMath.Broadcast(condition._shape, a._shape, "Where"), b._shape, "Where");
        var result = Zeros(shape);
        var cs = ShapeMath.BroadcastStrides(condition._shape, condition._strides, shape, "Where");
        var sa = ShapeMath.BroadcastStrides(a._shape, a._strides, shape, "Where");
        var sb = ShapeMath.BroadcastStrides(b._shape, b._strides, shape, "Where");
        var n = shape.Length == 0 ? 1 : shape[^1];
        var (cl, al, bl) = shape.Length == 0 ? (0, 0, 0) : (cs[^1], sa[^1], sb[^1]);
        var output = result._storage;
        StridedLoop.ForEachRow(shape, [cs, sa, sb, result._strides], [condition._offset, a._offset, b._offset, 0], o =>
        {
            for (var i = 0; i < n; i++)
            {
                output[o[3] + i] = condition._storage[o[0] + (i * cl)] != 0f ? a._storage[o[1] + (i * al)] : b._storage[o[2] + (i * bl)];
            }
        });
        return Record(result, new WhereOp(condition.Detach(), a, b), a, b);
    }

    /// <summary>Replaces elements where <paramref name="mask"/> (broadcast) is non-zero by <paramref name="value"/>.</summary>
    public Tensor MaskedFill(Tensor mask, float value) => Where(mask, Scalar(value), this);

    private static Tensor NotNull(Tensor t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return t;
    }

    private static Tensor Binary(Tensor a, Tensor b, BinaryKind kind)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var shape = ShapeMath.Broadcast(a._shape, b._shape, kind.ToString());
        var result = new Tensor(Uninitialized(ShapeMath.CountOf(shape, kind.ToString())), shape); // every element is written below
        var output = result._storage;
        if (a.IsContiguous && b.IsContiguous && ShapeMath.SameShape(a._shape, b._shape))
        {
            // Fixed chunks split across threads; each element is one correctly rounded operation wherever it runs.
            const int chunk = 4096;
            var count = output.Length;
            ParallelRows.For((count + chunk - 1) / chunk, chunk, (start, end) =>
            {
                var (first, length) = (start * chunk, Math.Min(end * chunk, count) - (start * chunk));
                BinaryRow(kind, a._storage.AsSpan(a._offset + first, length), 1, b._storage.AsSpan(b._offset + first, length), 1,
                    output.AsSpan(first, length));
            });
        }
        else
        {
            var sa = ShapeMath.BroadcastStrides(a._shape, a._strides, shape, kind.ToString());
            var sb = ShapeMath.BroadcastStrides(b._shape, b._strides, shape, kind.ToString());
            var n = shape.Length == 0 ? 1 : shape[^1];
            var (al, bl) = shape.Length == 0 ? (1, 1) : (sa[^1], sb[^1]);
            StridedLoop.ForEachRow(shape, [sa, sb, result._strides], [a._offset, b._offset, 0], o =>
                BinaryRow(kind, RowSpan(a._storage, o[0], n, al), al, RowSpan(b._storage, o[1], n, bl), bl, output.AsSpan(o[2], n)));
        }

        Op op = kind switch
        {
            BinaryKind.Add => new AddOp(a, b),
            BinaryKind.Sub => new SubOp(a, b),
            BinaryKind.Mul => new MulOp(a, b),
            _ => new DivOp(a, b),
        };
        return Record(result, op, a, b);
    }

    private static ReadOnlySpan<float> RowSpan(float[] storage, int offset, int n, int stride) =>
        n == 0 ? [] : storage.AsSpan(offset, ((n - 1) * stride) + 1);

    private static void BinaryRow(BinaryKind kind, ReadOnlySpan<float> a, int sa, ReadOnlySpan<float> b, int sb, Span<float> o)
    {
        if (o.Length == 0)
        {
            return;
        }

        if (sa == 1 && sb == 1)
        {
            switch (kind)
            {
                case BinaryKind.Add: TensorPrimitives.Add(a, b, o); break;
                case BinaryKind.Sub: TensorPrimitives.Subtract(a, b, o); break;
                case BinaryKind.Mul: TensorPrimitives.Multiply(a, b, o); break;
                default: TensorPrimitives.Divide(a, b, o); break;
            }
        }
        else if (sa == 1 && sb == 0)
        {
            switch (kind)
            {
                case BinaryKind.Add: TensorPrimitives.Add(a, b[0], o); break;
                case BinaryKind.Sub: TensorPrimitives.Subtract(a, b[0], o); break;
                case BinaryKind.Mul: TensorPrimitives.Multiply(a, b[0], o); break;
                default: TensorPrimitives.Divide(a, b[0], o); break;
            }
        }
        else if (sa == 0 && sb == 1)
        {
            switch (kind)
            {
                case BinaryKind.Add: TensorPrimitives.Add(b, a[0], o); break;
                case BinaryKind.Sub: TensorPrimitives.Subtract(a[0], b, o); break;
                case BinaryKind.Mul: TensorPrimitives.Multiply(b, a[0], o); break;
                default: TensorPrimitives.Divide(a[0], b, o); break;
            }
        }
        else
        {
            for (var i = 0; i < o.Length; i++)
            {
                var x = a[i * sa];
                var y = b[i * sb];
                o[i] = kind switch
                {
                    BinaryKind.Add => x + y,
                    BinaryKind.Sub => x - y,
                    BinaryKind.Mul => x * y,
                    _ => x / y,
                };
            }
        }
    }

    private Tensor Unary(UnaryKind kind)
    {
        var x = ReadSpan();
        var data = Uninitialized(Count);
        switch (Count == 0 ? UnaryKind.Relu : kind)
        {
            case UnaryKind.Sqrt: TensorPrimitives.Sqrt(x, data); break;
            case UnaryKind.Rsqrt: TensorPrimitives.ReciprocalSqrt(x, data); break;
            case UnaryKind.Exp: TensorPrimitives.Exp(x, data); break;
            case UnaryKind.Log: TensorPrimitives.Log(x, data); break;
            case UnaryKind.Tanh: TensorPrimitives.Tanh(x, data); break;
            case UnaryKind.Sigmoid: TensorPrimitives.Sigmoid(x, data); break;
            case UnaryKind.Relu: ActivationKernels.Relu(x, data); break;
            case UnaryKind.GeluErf: ActivationKernels.GeluErf(x, data); break;
            case UnaryKind.GeluTanh: ActivationKernels.GeluTanh(x, data); break;
            case UnaryKind.Silu: ActivationKernels.Silu(x, data); break;
            default: ActivationKernels.Erf(x, data); break;
        }

        return Record(new Tensor(data, (int[])_shape.Clone()), new UnaryOp(this, kind), this);
    }
}
