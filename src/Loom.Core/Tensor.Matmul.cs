// Batched matrix product with broadcast batch dimensions (torch.matmul for rank ≥ 2). Each operand is handed to
// Loom.Kernels.Gemm as stored: a transposed view becomes transA/transB with its leading dimension, never a copy.
using Loom.Core.Autograd;
using Loom.Kernels;

namespace Loom.Core;

public sealed partial class Tensor
{
    /// <summary>
    /// Starts a scope in which every <see cref="Matmul"/> on this thread (and the gradient products of the products
    /// recorded in it, wherever the backward pass runs) rounds both operands to <paramref name="precision"/> before
    /// multiplying — PyTorch's <c>torch.autocast(dtype=torch.bfloat16)</c> for matrix products. Products and sums stay
    /// float32, and so does everything else: norms, softmax, attention, losses, the weights themselves.
    /// </summary>
    /// <remarks>
    /// This CPU path has no bfloat16 arithmetic (.NET exposes no AVX512-BF16 instruction), so the rounding costs a
    /// little time and saves nothing; it exists to train with bfloat16 numerics and to measure them.
    /// </remarks>
    public static AutocastScope Autocast(GemmPrecision precision = GemmPrecision.BFloat16) => new(AutocastMode.Exchange(precision));

    /// <summary>(…, M, K) · (…, K, N) → (…, M, N); batch dimensions broadcast; operands rounded inside <see cref="Autocast"/>.</summary>
    public Tensor Matmul(Tensor other) => Matmul(other, AutocastMode.Precision);

    private Tensor Matmul(Tensor other, GemmPrecision precision)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Rank < 2 || other.Rank < 2)
        {
            throw new TensorShapeException($"Matmul needs operands of rank ≥ 2; found {ShapeMath.Format(_shape)} and {ShapeMath.Format(other._shape)} (Unsqueeze vectors first).");
        }

        int m = _shape[^2], k = _shape[^1], n = other._shape[^1];
        if (other._shape[^2] != k)
        {
            throw new TensorShapeException($"Matmul: inner dimensions differ: {ShapeMath.Format(_shape)} · {ShapeMath.Format(other._shape)} ({k} vs {other._shape[^2]}).");
        }

        if (other.Rank == 2 && Rank > 2 && IsContiguous)
        {
            // (…, M, K)·(K, N): fold the batch into M for one large GEMM (B is packed once, not once per batch).
            return Reshape(-1, k).Matmul(other, precision).Reshape([.. _shape[..^1], n]);
        }

        var batch = ShapeMath.Broadcast(_shape[..^2], other._shape[..^2], "Matmul batch dimensions");
        int[] outShape = [.. batch, m, n];
        var result = k > 0 ? new Tensor(Uninitialized(ShapeMath.CountOf(outShape, "Matmul")), outShape) : Zeros(outShape); // GEMM writes all of C
        if (m > 0 && n > 0 && k > 0)
        {
            var a = GemmOperand(this, m, k, out var transA, out var lda);
            var b = GemmOperand(other, k, n, out var transB, out var ldb);
            var aStrides = ShapeMath.BroadcastStrides(a._shape[..^2], a._strides[..^2], batch, "Matmul");
            var bStrides = ShapeMath.BroadcastStrides(b._shape[..^2], b._strides[..^2], batch, "Matmul");
            var output = result._storage;
            var index = 0;
            // A zero-length last dimension makes ForEachRow visit each batch position once.
            int[] walkShape = [.. batch, 1];
            StridedLoop.ForEachRow(walkShape, [[.. aStrides, 0], [.. bStrides, 0]], [a._offset, b._offset], o =>
            {
                Gemm.Multiply(precision, transA, transB, m, n, k, 1f, a._storage.AsSpan(o[0]), lda, b._storage.AsSpan(o[1]), ldb,
                    0f, output.AsSpan(index * m * n, m * n), n);
                index++;
            });
        }

        return Record(result, new MatmulOp(this, other, precision), this, other);
    }

    /// <summary>
    /// Gradients of a matrix product for the inputs that need one. A 2-D product (the Linear layers, folded batch)
    /// runs two GEMMs straight from the stored operands; a weight used through a transposed view (x·Wᵀ) gets its
    /// gradient computed as dWᵀ = gᵀ·x and returned as the matching transposed view, so the weight's own gradient is a
    /// plain row-major buffer. Batched products use the composed rule.
    /// </summary>
    internal static Tensor?[] MatmulGradients(MatmulOp o, Tensor g)
    {
        var (a, b) = (o.A, o.B);
        if (a.Rank != 2 || b.Rank != 2)
        {
            return [Backprop.SumTo(g.Matmul(b.Transpose(-1, -2), o.Precision), a), Backprop.SumTo(a.Transpose(-1, -2).Matmul(g, o.Precision), b)];
        }

        int m = a._shape[0], k = a._shape[1], n = b._shape[1];
        var gm = g.Materialize(); // (M, N)
        var ga = gm._storage.AsSpan(gm._offset, gm.Count);
        Tensor? da = null, db = null;
        if (a.RequiresGrad)
        {
            // dA (M, K) = g (M, N) · Bᵀ (N, K); dAᵀ = B · gᵀ when A is a transposed view.
            var data = n > 0 ? Uninitialized(m * k) : new float[m * k];
            var bs = GemmOperand(b, k, n, out var transB, out var ldb);
            if (m > 0 && k > 0 && n > 0)
            {
                if (IsTransposedView(a, m, k))
                {
                    Gemm.Multiply(o.Precision, transB, true, k, m, n, 1f, bs._storage.AsSpan(bs._offset), ldb, ga, n, 0f, data, m);
                }
                else
                {
                    Gemm.Multiply(o.Precision, false, !transB, m, k, n, 1f, ga, n, bs._storage.AsSpan(bs._offset), ldb, 0f, data, k);
                }
            }

            da = IsTransposedView(a, m, k) ? new Tensor(data, [m, k], [1, m], 0) : new Tensor(data, [m, k]);
        }

        if (b.RequiresGrad)
        {
            // dB (K, N) = Aᵀ (K, M) · g (M, N); dBᵀ = gᵀ · A when B is a transposed view (x·Wᵀ).
            var data = m > 0 ? Uninitialized(k * n) : new float[k * n];
            var @as = GemmOperand(a, m, k, out var transA, out var lda);
            if (m > 0 && k > 0 && n > 0)
            {
                if (IsTransposedView(b, k, n))
                {
                    Gemm.Multiply(o.Precision, true, transA, n, k, m, 1f, ga, n, @as._storage.AsSpan(@as._offset), lda, 0f, data, k);
                }
                else
                {
                    Gemm.Multiply(o.Precision, !transA, false, k, n, m, 1f, @as._storage.AsSpan(@as._offset), lda, ga, n, 0f, data, n);
                }
            }

            db = IsTransposedView(b, k, n) ? new Tensor(data, [k, n], [1, k], 0) : new Tensor(data, [k, n]);
        }

        return [da, db];
    }

    /// <summary>True for a (rows, cols) view of a row-major (cols, rows) buffer, e.g. Wᵀ.</summary>
    private static bool IsTransposedView(Tensor t, int rows, int cols) =>
        rows > 1 && cols > 1 && t._strides[0] == 1 && t._strides[1] == rows;

    /// <summary>
    /// Reads the last two dimensions (rows × cols) as a GEMM operand: row-major or column-major (transposed) in place
    /// when the strides allow it, otherwise a contiguous copy.
    /// </summary>
    private static Tensor GemmOperand(Tensor t, int rows, int cols, out bool transposed, out int ld)
    {
        int sr = t._strides[^2], sc = t._strides[^1];
        if ((cols == 1 || sc == 1) && (rows == 1 || sr >= cols))
        {
            transposed = false;
            ld = rows == 1 ? cols : sr;
            return t;
        }

        if ((rows == 1 || sr == 1) && (cols == 1 || sc >= rows))
        {
            transposed = true;
            ld = cols == 1 ? rows : sc;
            return t;
        }

        transposed = false;
        ld = cols;
        return t.Materialize();
    }
}
