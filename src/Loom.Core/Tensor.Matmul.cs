// Batched matrix product with broadcast batch dimensions (torch.matmul for rank ≥ 2). Each operand is handed to
// Loom.Kernels.Gemm as stored: a transposed view becomes transA/transB with its leading dimension, never a copy.
using Loom.Core.Autograd;
using Loom.Kernels;

namespace Loom.Core;

public sealed partial class Tensor
{
    /// <summary>(…, M, K) · (…, K, N) → (…, M, N); batch dimensions broadcast.</summary>
    public Tensor Matmul(Tensor other)
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
            return Reshape(-1, k).Matmul(other).Reshape([.. _shape[..^1], n]);
        }

        var batch = ShapeMath.Broadcast(_shape[..^2], other._shape[..^2], "Matmul batch dimensions");
        int[] outShape = [.. batch, m, n];
        var result = Zeros(outShape);
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
                Gemm.Multiply(transA, transB, m, n, k, 1f, a._storage.AsSpan(o[0]), lda, b._storage.AsSpan(o[1]), ldb,
                    0f, output.AsSpan(index * m * n, m * n), n);
                index++;
            });
        }

        return Record(result, new MatmulOp(this, other), this, other);
    }

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
