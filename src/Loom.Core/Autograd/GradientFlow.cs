// The backward sweep of Tensor.Backward: gradients flow from the output to the leaves in reverse topological order
// (PyTorch's engine, micrograd), with buffer ownership tracked so that gradients are summed in place instead of
// copied. A gradient buffer is "exclusive" when it is a whole contiguous buffer made during this sweep that no
// pending gradient, no other gradient of the same op and no caller refers to; only exclusive buffers are written
// in place or adopted as a leaf's Grad, so no tensor anyone can still read ever changes under them.
namespace Loom.Core.Autograd;

/// <summary>One backward sweep over a recorded graph.</summary>
internal sealed class GradientFlow
{
    private readonly Dictionary<Tensor, Tensor> _pending = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<float[], int> _references = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<float[]> _adopted = new(ReferenceEqualityComparer.Instance);
    private readonly GradientPool _pool = new();
    private readonly float[] _foreign;

    /// <summary>Creates a sweep; <paramref name="foreign"/> is the caller's output-gradient buffer, never written or adopted.</summary>
    public GradientFlow(float[] foreign) => _foreign = foreign;

    /// <summary>Propagates <paramref name="outputGradient"/> from <paramref name="root"/> through <paramref name="order"/> (inputs before outputs).</summary>
    public void Run(Tensor root, Tensor outputGradient, List<Tensor> order)
    {
        using var scope = _pool.Activate();
        _pending[root] = outputGradient;
        Hold(outputGradient);
        for (var i = order.Count - 1; i >= 0; i--)
        {
            var node = order[i];
            if (!_pending.Remove(node, out var g))
            {
                continue;
            }

            Release(g);
            var op = node.Op!;
            if (op is IndexSelectOp select && select.X.Op is null)
            {
                // Embedding tables: scatter rows straight into the leaf's gradient, no table-sized temporary.
                if (select.X.RequiresGrad)
                {
                    Backprop.IndexAddInto(select, g);
                }

                Recycle(g);
                continue;
            }

            if (op is NarrowOp narrow && narrow.X.Op is not null && TryAddIntoSlice(narrow, g))
            {
                Recycle(g);
                continue;
            }

            var inputs = op.Inputs;
            var gradients = Backprop.InputGradients(op, node, g);
            for (var j = 0; j < inputs.Length; j++)
            {
                var input = inputs[j];
                var gradient = gradients[j];
                if (gradient is null || !input.RequiresGrad)
                {
                    continue;
                }

                if (!ShapeMath.SameShape(gradient.ShapeArray, input.ShapeArray))
                {
                    throw new InvalidOperationException($"Internal autograd error: {op.GetType().Name} produced a gradient of shape {ShapeMath.Format(gradient.ShapeArray)} for an input of shape {ShapeMath.Format(input.ShapeArray)}.");
                }

                if (input.Op is null)
                {
                    var adopt = input.Grad is null && IsExclusive(gradient, gradients, j, 0);
                    if (adopt)
                    {
                        _adopted.Add(gradient.Storage);
                    }

                    Tensor.Accumulate(input, gradient, exclusive: adopt);
                }
                else
                {
                    AddPending(input, gradient, gradients);
                }
            }

            Recycle(g);
        }
    }

    private void AddPending(Tensor input, Tensor gradient, Tensor?[] siblings)
    {
        if (!_pending.TryGetValue(input, out var existing))
        {
            _pending[input] = gradient;
            Hold(gradient);
            return;
        }

        if (IsExclusive(existing, siblings, -1, 1) && !ReferenceEquals(existing.Storage, gradient.Storage))
        {
            var target = existing.AsSpan();
            System.Numerics.Tensors.TensorPrimitives.Add(target, gradient.ReadSpan(), target);
            return;
        }

        var sum = existing + gradient;
        Release(existing);
        _pending[input] = sum;
        Hold(sum);
    }

    /// <summary>
    /// The gradient of a narrow view written straight into the slice of its input's pending gradient (the q/k/v split
    /// of a fused projection), instead of padding it to the full shape and adding.
    /// </summary>
    private bool TryAddIntoSlice(NarrowOp narrow, Tensor g)
    {
        var x = narrow.X;
        if (!_pending.TryGetValue(x, out var existing))
        {
            var full = Tensor.Zeros(x.ShapeArray);
            Tensor.CopyInto(full.Narrow(narrow.Dim, narrow.Start, g.ShapeArray[narrow.Dim]), g);
            _pending[x] = full;
            Hold(full);
            return true;
        }

        if (!IsExclusive(existing, [], -1, 1) || ReferenceEquals(existing.Storage, g.Storage))
        {
            return false;
        }

        Tensor.AddInto(existing.Narrow(narrow.Dim, narrow.Start, g.ShapeArray[narrow.Dim]), g);
        return true;
    }

    /// <summary>
    /// Hands a consumed gradient's buffer to the pool when nothing can read it any more: made during this sweep, whole,
    /// not referenced by any pending gradient and not adopted by a leaf.
    /// </summary>
    private void Recycle(Tensor g)
    {
        var storage = g.Storage;
        if (!ReferenceEquals(storage, _foreign) && g.OwnsWholeStorage && !_references.ContainsKey(storage) && !_adopted.Contains(storage))
        {
            _pool.Return(storage);
        }
    }

    /// <summary>
    /// True when <paramref name="t"/> is a whole buffer made during this sweep, referenced by at most
    /// <paramref name="pendingReferences"/> pending entries and by no gradient in <paramref name="siblings"/> other
    /// than number <paramref name="self"/>.
    /// </summary>
    private bool IsExclusive(Tensor t, Tensor?[] siblings, int self, int pendingReferences)
    {
        var storage = t.Storage;
        if (ReferenceEquals(storage, _foreign) || !t.OwnsWholeStorage || _references.GetValueOrDefault(storage) != pendingReferences)
        {
            return false;
        }

        for (var k = 0; k < siblings.Length; k++)
        {
            if (k != self && siblings[k] is { } other && ReferenceEquals(other.Storage, storage))
            {
                return false;
            }
        }

        return true;
    }

    private void Hold(Tensor gradient)
    {
        var storage = gradient.Storage;
        _references[storage] = _references.GetValueOrDefault(storage) + 1;
    }

    private void Release(Tensor gradient)
    {
        var storage = gradient.Storage;
        var count = _references.GetValueOrDefault(storage) - 1;
        if (count <= 0)
        {
            _references.Remove(storage);
        }
        else
        {
            _references[storage] = count;
        }
    }
}
