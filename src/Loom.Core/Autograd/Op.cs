// The closed set of differentiable operations recorded on the autograd tape, one record per kind, like the Op enum
// of huggingface/candle (candle-core/src/op.rs). The constructor is private-protected, so no other assembly can add a
// kind; Backprop.cs holds every derivative rule. The records live together in this file on purpose: together they are
// one discriminated union, and a test enumerates them to demand a gradient check for each.
using Loom.Kernels;

namespace Loom.Core.Autograd;

/// <summary>An operation recorded on the tape: the inputs a gradient flows to, plus what backward needs.</summary>
internal abstract record Op
{
    private static long s_recorded;

    private protected Op()
    {
    }

    /// <summary>
    /// When the op was recorded, increasing across the process: an op is always recorded after the ops that made its
    /// inputs, so sorting by it is a topological order (the backward sweep runs the forward pass in reverse, as
    /// PyTorch's engine does by sequence number).
    /// </summary>
    public long Sequence { get; } = Interlocked.Increment(ref s_recorded);

    /// <summary>The tensors the gradient flows to, in the order <see cref="Backprop.InputGradients"/> returns them.</summary>
    public abstract Tensor[] Inputs { get; }

    /// <summary>Tensors backward reads besides the inputs, held as constants (no gradient flows to them).</summary>
    public virtual Tensor[] Constants => [];
}

/// <summary>a + b (broadcast).</summary>
internal sealed record AddOp(Tensor A, Tensor B) : Op
{
    public override Tensor[] Inputs => [A, B];
}

/// <summary>a − b (broadcast).</summary>
internal sealed record SubOp(Tensor A, Tensor B) : Op
{
    public override Tensor[] Inputs => [A, B];
}

/// <summary>a · b (broadcast).</summary>
internal sealed record MulOp(Tensor A, Tensor B) : Op
{
    public override Tensor[] Inputs => [A, B];
}

/// <summary>a / b (broadcast).</summary>
internal sealed record DivOp(Tensor A, Tensor B) : Op
{
    public override Tensor[] Inputs => [A, B];
}

/// <summary>x · scale + shift.</summary>
internal sealed record AffineOp(Tensor X, float Scale) : Op
{
    public override Tensor[] Inputs => [X];
}

/// <summary>x^exponent.</summary>
internal sealed record PowOp(Tensor X, float Exponent) : Op
{
    public override Tensor[] Inputs => [X];
}

/// <summary>An elementwise function from <see cref="UnaryKind"/>.</summary>
internal sealed record UnaryOp(Tensor X, UnaryKind Kind) : Op
{
    public override Tensor[] Inputs => [X];
}

/// <summary>Sum over the given (normalised) dimensions.</summary>
internal sealed record SumOp(Tensor X, int[] Dims) : Op
{
    public override Tensor[] Inputs => [X];
}

/// <summary>Batched matrix product; its gradients are products with the same operand precision.</summary>
internal sealed record MatmulOp(Tensor A, Tensor B, GemmPrecision Precision) : Op
{
    public override Tensor[] Inputs => [A, B];
}

/// <summary>A view of a contiguous tensor with another shape.</summary>
internal sealed record ReshapeOp(Tensor X) : Op
{
    public override Tensor[] Inputs => [X];
}

/// <summary>A view with dimensions reordered: result dimension i is input dimension Perm[i].</summary>
internal sealed record PermuteOp(Tensor X, int[] Perm) : Op
{
    public override Tensor[] Inputs => [X];
}

/// <summary>A view of a range along one dimension.</summary>
internal sealed record NarrowOp(Tensor X, int Dim, int Start) : Op
{
    public override Tensor[] Inputs => [X];
}

/// <summary>A broadcast view.</summary>
internal sealed record ExpandOp(Tensor X) : Op
{
    public override Tensor[] Inputs => [X];
}

/// <summary>A contiguous copy of a strided view.</summary>
internal sealed record ContiguousOp(Tensor X) : Op
{
    public override Tensor[] Inputs => [X];
}

/// <summary>Slices selected along one dimension.</summary>
internal sealed record IndexSelectOp(Tensor X, int Dim, IntTensor Indices) : Op
{
    public override Tensor[] Inputs => [X];
}

/// <summary>Elements gathered along one dimension.</summary>
internal sealed record GatherOp(Tensor X, int Dim, IntTensor Index) : Op
{
    public override Tensor[] Inputs => [X];
}

/// <summary>x with source added at index positions along one dimension.</summary>
internal sealed record ScatterAddOp(Tensor X, int Dim, IntTensor Index, Tensor Source) : Op
{
    public override Tensor[] Inputs => [X, Source];
}

/// <summary>x with source written at index positions along one dimension.</summary>
internal sealed record ScatterOp(Tensor X, int Dim, IntTensor Index, Tensor Source) : Op
{
    public override Tensor[] Inputs => [X, Source];
}

/// <summary>Tensors joined along one dimension.</summary>
internal sealed record ConcatOp(Tensor[] Parts, int Dim) : Op
{
    public override Tensor[] Inputs => Parts;
}

/// <summary>condition ? a : b (condition is a constant).</summary>
internal sealed record WhereOp(Tensor Condition, Tensor A, Tensor B) : Op
{
    public override Tensor[] Inputs => [A, B];

    public override Tensor[] Constants => [Condition];
}

/// <summary>Softmax over the last dimension.</summary>
internal sealed record SoftmaxOp(Tensor X) : Op
{
    public override Tensor[] Inputs => [X];
}

/// <summary>Log-softmax over the last dimension.</summary>
internal sealed record LogSoftmaxOp(Tensor X) : Op
{
    public override Tensor[] Inputs => [X];
}

/// <summary>Layer norm over the last dimension; per-row mean and 1/std saved from the forward pass.</summary>
internal sealed record LayerNormOp(Tensor X, Tensor? Weight, Tensor? Bias, float[] Mean, float[] Rstd) : Op
{
    public override Tensor[] Inputs => Tensor.InputsOf(X, Weight, Bias);
}

/// <summary>RMS norm over the last dimension; per-row 1/rms saved from the forward pass.</summary>
internal sealed record RmsNormOp(Tensor X, Tensor? Weight, float[] Rstd) : Op
{
    public override Tensor[] Inputs => Tensor.InputsOf(X, Weight, null);
}

/// <summary>Fused cross-entropy; RowGrad is d(row loss)/d(logits), Scale the reduction factor.</summary>
internal sealed record CrossEntropyOp(Tensor Logits, float[] RowGrad, float Scale, bool PerRow) : Op
{
    public override Tensor[] Inputs => [Logits];
}

/// <summary>Fused attention; the plan holds the layouts and the mask, Probs the softmax of every head.</summary>
internal sealed record AttentionOp(Tensor Query, Tensor Key, Tensor Value, AttentionPlan Plan, float[] Probs) : Op
{
    public override Tensor[] Inputs => [Query, Key, Value];

    public override Tensor[] Constants => Plan.Mask is { } mask ? [mask] : [];
}

/// <summary>Rotary embedding with constant cos/sin tables.</summary>
internal sealed record RopeOp(Tensor X, Tensor Cos, Tensor Sin, RopeLayout Layout) : Op
{
    public override Tensor[] Inputs => [X];

    public override Tensor[] Constants => [Cos, Sin];
}
