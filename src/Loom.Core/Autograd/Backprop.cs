// Every derivative rule of the engine, in one place, written with tensor ops (the layout of huggingface/candle
// candle-core/src/backprop.rs and tinygrad's gradient.py). Rules run with gradient recording off, so no higher-order
// graph is built. Fused ops call the backward half of their Loom.Kernels kernel.
using Loom.Kernels;

namespace Loom.Core.Autograd;

/// <summary>Maps (op, its output, the gradient of the output) to the gradient of each of <see cref="Op.Inputs"/>.</summary>
internal static class Backprop
{
    /// <summary>
    /// The gradient of each of <see cref="Op.Inputs"/> given the op's output and its gradient. With
    /// <paramref name="consumeSaved"/> (the graph is released by this sweep) a rule may overwrite buffers only its op
    /// saved, instead of allocating.
    /// </summary>
    public static Tensor?[] InputGradients(Op op, Tensor output, Tensor g, bool consumeSaved) => op switch
    {
        AddOp o => [SumTo(g, o.A), SumTo(g, o.B)],
        SubOp o => [SumTo(g, o.A), SumTo(-g, o.B)],
        MulOp o => [SumTo(g * o.B, o.A), SumTo(g * o.A, o.B)],
        DivOp o => [SumTo(g / o.B, o.A), SumTo(-(g * output) / o.B, o.B)],
        AffineOp o => [g * o.Scale],
        PowOp o => [g * o.X.Pow(o.Exponent - 1f) * o.Exponent],
        UnaryOp o => [Unary(o, output, g)],
        SumOp o => [g.Reshape(KeptShape(o.X.ShapeArray, o.Dims)).Expand(o.X.ShapeArray)],
        MatmulOp o => Tensor.MatmulGradients(o, g),
        ReshapeOp o => [g.Reshape(o.X.ShapeArray)],
        PermuteOp o => [g.Permute(Inverse(o.Perm))],
        NarrowOp o => [Pad(g, o.X.ShapeArray, o.Dim, o.Start)],
        ExpandOp o => [SumTo(g, o.X)],
        ContiguousOp => [g],
        IndexSelectOp o => [IndexAdd(g, o)],
        GatherOp o => [Tensor.ZerosLike(o.X).ScatterAdd(o.Dim, o.Index, g)],
        ScatterAddOp o => [g, g.Gather(o.Dim, o.Index)],
        ScatterOp o => [g.Scatter(o.Dim, o.Index, Tensor.Zeros(o.Index.ShapeArray)), g.Gather(o.Dim, o.Index)],
        ConcatOp o => Unconcat(g, o),
        WhereOp o => [SumTo(Tensor.Where(o.Condition, g, Tensor.Scalar(0f)), o.A), SumTo(Tensor.Where(o.Condition, Tensor.Scalar(0f), g), o.B)],
        SoftmaxOp => [Rows(output, g, static (y, dy, dx) => SoftmaxKernel.Backward(y, dy, dx))],
        LogSoftmaxOp => [Rows(output, g, static (y, dy, dx) => SoftmaxKernel.LogBackward(y, dy, dx))],
        LayerNormOp o => LayerNorm(o, g),
        RmsNormOp o => RmsNorm(o, g),
        CrossEntropyOp o => [CrossEntropy(o, g, consumeSaved)],
        AttentionOp o => Attention(o, g),
        RopeOp o => [Tensor.Wrap(Tensor.RotateRows(g.ReadSpan(), o.Cos, o.Sin, o.Layout, inverse: true), o.X.ShapeArray)],
        _ => throw new NotSupportedException($"No derivative rule for {op.GetType().Name}."),
    };

    /// <summary>Sums a broadcast gradient back to the shape of <paramref name="like"/>.</summary>
    public static Tensor SumTo(Tensor g, Tensor like) => SumTo(g, like.ShapeArray);

    private static Tensor SumTo(Tensor g, int[] shape)
    {
        var gs = g.ShapeArray;
        if (ShapeMath.SameShape(gs, shape))
        {
            return g;
        }

        var lead = gs.Length - shape.Length;
        var dims = new List<int>();
        for (var i = 0; i < gs.Length; i++)
        {
            if (i < lead || (shape[i - lead] == 1 && gs[i] != 1))
            {
                dims.Add(i);
            }
        }

        return g.Sum([.. dims], keepDim: true).Reshape(shape);
    }

    private static Tensor Unary(UnaryOp o, Tensor y, Tensor g) => o.Kind switch
    {
        UnaryKind.Sqrt => g / y * 0.5f,
        UnaryKind.Rsqrt => g * y.Pow(3f) * -0.5f,
        UnaryKind.Exp => g * y,
        UnaryKind.Log => g / o.X,
        UnaryKind.Tanh => g * (y * y).Affine(-1f, 1f),
        UnaryKind.Sigmoid => g * y * y.Affine(-1f, 1f),
        UnaryKind.Relu => Pointwise(o.X, g, ActivationKernels.ReluBackward),
        UnaryKind.GeluErf => Pointwise(o.X, g, ActivationKernels.GeluErfBackward),
        UnaryKind.GeluTanh => Pointwise(o.X, g, ActivationKernels.GeluTanhBackward),
        UnaryKind.Silu => Pointwise(o.X, g, ActivationKernels.SiluBackward),
        _ => Pointwise(o.X, g, ActivationKernels.ErfBackward),
    };

    private delegate void PointwiseBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx);

    private delegate void RowBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);

    private static Tensor Pointwise(Tensor x, Tensor g, PointwiseBackward backward)
    {
        var dx = Tensor.Uninitialized(x.Count);
        backward(x.ReadSpan(), g.ReadSpan(), dx);
        return Tensor.Wrap(dx, x.ShapeArray);
    }

    private static Tensor Rows(Tensor y, Tensor g, RowBackward backward)
    {
        var c = y.ShapeArray[^1];
        var (ym, gm) = (y.Materialize(), g.Materialize());
        var dx = Tensor.Uninitialized(y.Count);
        ParallelRows.For(c == 0 ? 0 : y.Count / c, c, (start, end) =>
        {
            var ys = ym.ReadSpan();
            var gs = gm.ReadSpan();
            for (var r = start; r < end; r++)
            {
                backward(ys.Slice(r * c, c), gs.Slice(r * c, c), dx.AsSpan(r * c, c));
            }
        });

        return Tensor.Wrap(dx, y.ShapeArray);
    }

    private static Tensor?[] LayerNorm(LayerNormOp o, Tensor g)
    {
        var c = o.X.ShapeArray[^1];
        var x = o.X.ReadSpan();
        var gs = g.ReadSpan();
        var w = o.Weight is null ? [] : o.Weight.ReadSpan();
        var dx = Tensor.Uninitialized(o.X.Count);
        var dw = o.Weight is null ? [] : new float[c];
        var db = o.Bias is null ? [] : new float[c];
        for (var r = 0; r < o.Mean.Length; r++)
        {
            LayerNormKernel.Backward(gs.Slice(r * c, c), x.Slice(r * c, c), w, o.Mean[r], o.Rstd[r], dx.AsSpan(r * c, c), dw, db);
        }

        var gradients = new List<Tensor?> { Tensor.Wrap(dx, o.X.ShapeArray) };
        if (o.Weight is not null)
        {
            gradients.Add(Tensor.Wrap(dw, [c]));
        }

        if (o.Bias is not null)
        {
            gradients.Add(Tensor.Wrap(db, [c]));
        }

        return [.. gradients];
    }

    private static Tensor?[] RmsNorm(RmsNormOp o, Tensor g)
    {
        var c = o.X.ShapeArray[^1];
        var x = o.X.ReadSpan();
        var gs = g.ReadSpan();
        var w = o.Weight is null ? [] : o.Weight.ReadSpan();
        var dx = Tensor.Uninitialized(o.X.Count);
        var dw = o.Weight is null ? [] : new float[c];
        for (var r = 0; r < o.Rstd.Length; r++)
        {
            RmsNormKernel.Backward(gs.Slice(r * c, c), x.Slice(r * c, c), w, o.Rstd[r], dx.AsSpan(r * c, c), dw);
        }

        var dxTensor = Tensor.Wrap(dx, o.X.ShapeArray);
        return o.Weight is null ? [dxTensor] : [dxTensor, Tensor.Wrap(dw, [c])];
    }

    private static Tensor CrossEntropy(CrossEntropyOp o, Tensor g, bool consumeSaved)
    {
        var v = o.Logits.ShapeArray[^1];
        var dx = consumeSaved ? o.RowGrad : Tensor.Uninitialized(o.RowGrad.Length); // scaled in place when nothing reads it again
        var gm = g.Materialize();
        ParallelRows.For(v == 0 ? 0 : dx.Length / v, v, (start, end) =>
        {
            var gs = gm.ReadSpan();
            for (var r = start; r < end; r++)
            {
                var factor = (o.PerRow ? gs[r] : gs[0]) * o.Scale;
                System.Numerics.Tensors.TensorPrimitives.Multiply(o.RowGrad.AsSpan(r * v, v), factor, dx.AsSpan(r * v, v));
            }
        });

        return Tensor.Wrap(dx, o.Logits.ShapeArray);
    }

    private static Tensor?[] Attention(AttentionOp o, Tensor g)
    {
        var plan = o.Plan;
        var s = plan.Shape;
        var (tq, tk, d, dvDim) = (s.QueryLength, s.KeyLength, s.HeadDim, s.ValueDim);
        var dq = BufferPool.RentZeroed(o.Query.Count);
        var dk = BufferPool.RentZeroed(o.Key.Count);
        var dv = BufferPool.RentZeroed(o.Value.Count);
        var dOut = g.Materialize();
        var groupSize = plan.Heads / plan.KvHeads;
        // One task per kv head: its query heads run in order, so dK/dV accumulate without races or timing effects.
        ParallelRows.For(plan.Batch * plan.KvHeads, (long)groupSize * tq * Math.Max(tk, 1) * Math.Max(d + dvDim, 1), (start, end) =>
        {
            var scratch = new float[tq * tk];
            var gs = dOut.ReadSpan();
            for (var kv = start; kv < end; kv++)
            {
                var firstHead = (kv / plan.KvHeads * plan.Heads) + (kv % plan.KvHeads * groupSize);
                for (var head = firstHead; head < firstHead + groupSize; head++)
                {
                    AttentionKernel.Backward(s, plan.Q.Head(head), plan.Q.RowStride, plan.K.Head(kv), plan.K.RowStride, plan.V.Head(kv), plan.V.RowStride,
                        o.Probs.AsSpan(head * tq * tk, tq * tk), gs.Slice(head * tq * dvDim, tq * dvDim), scratch,
                        dq.AsSpan(head * tq * d, tq * d), dk.AsSpan(kv * tk * d, tk * d), dv.AsSpan(kv * tk * dvDim, tk * dvDim));
                }
            }
        });

        return [Tensor.Wrap(dq, o.Query.ShapeArray), Tensor.Wrap(dk, o.Key.ShapeArray), Tensor.Wrap(dv, o.Value.ShapeArray)];
    }

    private static Tensor Pad(Tensor g, int[] shape, int dim, int start)
    {
        var result = Tensor.Wrap(BufferPool.RentZeroed(ShapeMath.CountOf(shape, "Narrow")), shape);
        Tensor.CopyInto(result.Narrow(dim, start, g.ShapeArray[dim]), g);
        return result;
    }

    /// <summary>The gradient of an index_select of a leaf, scattered straight into the leaf's Grad (created zeroed when absent).</summary>
    public static void IndexAddInto(IndexSelectOp o, Tensor g)
    {
        var leaf = o.X;
        leaf.Grad ??= Tensor.Wrap(BufferPool.RentZeroed(leaf.Count), leaf.ShapeArray);
        Tensor.CopyBlocks(g.ReadSpan(), leaf.ShapeArray[o.Dim], o.Indices.Data, leaf.BlockSize(o.Dim), leaf.Grad.AsSpan(), add: true);
    }

    private static Tensor IndexAdd(Tensor g, IndexSelectOp o)
    {
        var result = Tensor.ZerosLike(o.X);
        Tensor.CopyBlocks(g.ReadSpan(), o.X.ShapeArray[o.Dim], o.Indices.Data, result.BlockSize(o.Dim), result.AsSpan(), add: true);
        return result;
    }

    private static Tensor?[] Unconcat(Tensor g, ConcatOp o)
    {
        var gradients = new Tensor?[o.Parts.Length];
        var offset = 0;
        for (var i = 0; i < o.Parts.Length; i++)
        {
            var size = o.Parts[i].ShapeArray[o.Dim];
            gradients[i] = g.Narrow(o.Dim, offset, size);
            offset += size;
        }

        return gradients;
    }

    private static int[] KeptShape(int[] shape, int[] reducedDims)
    {
        var kept = (int[])shape.Clone();
        foreach (var d in reducedDims)
        {
            kept[d] = 1;
        }

        return kept;
    }

    private static int[] Inverse(int[] perm)
    {
        var inverse = new int[perm.Length];
        for (var i = 0; i < perm.Length; i++)
        {
            inverse[perm[i]] = i;
        }

        return inverse;
    }
}
