// The backward sweep of Tensor.Backward: gradients flow from the output to the leaves in reverse topological order
// (PyTorch's engine, micrograd), with buffer ownership tracked so that gradients are summed in place instead of
// copied. A gradient buffer is "exclusive" when it is a whole contiguous buffer made during this sweep that no
// pending gradient, no other gradient of the same op and no caller refers to; only exclusive buffers are written
// in place or adopted as a leaf's Grad, so no tensor anyone can still read ever changes under them. Gradient buffers
// that die go to the BufferPool. When the caller gives the graph up (Backward(releaseGraph: true)), so do the op
// outputs themselves, each as soon as the last op that reads it has run its backward rule (PyTorch frees saved
// tensors the same way), so the sweep reuses the forward pass's memory and the next step reuses both.
namespace Loom.Core.Autograd;

/// <summary>One backward sweep over a recorded graph.</summary>
internal sealed class GradientFlow
{
    private readonly Dictionary<Tensor, Tensor> _pending = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<float[], int> _references = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<float[]> _adopted = new(ReferenceEqualityComparer.Instance);

    /// <summary>Gradient buffers the current node consumed, made or merged, checked for death once it is done.</summary>
    private readonly HashSet<float[]> _touched = new(ReferenceEqualityComparer.Instance);
    private readonly float[] _foreign;
    private readonly bool _releaseGraph;

    /// <summary>Op-output buffers of the graph still to be read by some backward rule, with how many op outputs share each.</summary>
    private Dictionary<float[], int>? _graphBuffers;

    /// <summary>
    /// Creates a sweep; <paramref name="foreign"/> is the caller's output-gradient buffer, never written or adopted.
    /// With <paramref name="releaseGraph"/> the op outputs of the graph (all but the root) are recycled as the sweep
    /// passes them.
    /// </summary>
    public GradientFlow(float[] foreign, bool releaseGraph)
    {
        _foreign = foreign;
        _releaseGraph = releaseGraph;
    }

    /// <summary>Propagates <paramref name="outputGradient"/> from <paramref name="root"/> through <paramref name="order"/> (inputs before outputs).</summary>
    public void Run(Tensor root, Tensor outputGradient, List<Tensor> order)
    {
        if (_releaseGraph)
        {
            _graphBuffers = GraphBuffers(root, order);
        }

        _pending[root] = outputGradient;
        Hold(outputGradient);
        for (var i = order.Count - 1; i >= 0; i--)
        {
            var node = order[i];
            if (_pending.Remove(node, out var g))
            {
                Release(g);
                _touched.Add(g.Storage);
                Propagate(node, g);
                RecycleTouched();
            }

            Retire(node);
        }
    }

    /// <summary>Runs the backward rule of <paramref name="node"/> and routes each input gradient to its leaf or pending sum.</summary>
    private void Propagate(Tensor node, Tensor g)
    {
        var op = node.Op!;
        if (op is IndexSelectOp select && select.X.Op is null)
        {
            // Embedding tables: scatter rows straight into the leaf's gradient, no table-sized temporary.
            if (select.X.RequiresGrad)
            {
                Backprop.IndexAddInto(select, g);
            }

            return;
        }

        if (op is NarrowOp narrow && narrow.X.Op is not null && TryAddIntoSlice(narrow, g))
        {
            return;
        }

        var inputs = op.Inputs;
        var gradients = Backprop.InputGradients(op, node, g, _releaseGraph);
        for (var j = 0; j < inputs.Length; j++)
        {
            var input = inputs[j];
            var gradient = gradients[j];
            if (gradient is null)
            {
                continue;
            }

            _touched.Add(gradient.Storage);
            if (!input.RequiresGrad)
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
    }

    /// <summary>
    /// The op-output buffers a released graph may recycle, each with the number of op outputs (views included) over
    /// it: every buffer of an op output except the root's, the caller's, and any buffer shared with a leaf or a
    /// constant an op keeps (a parameter's transposed view, a mask).
    /// </summary>
    private Dictionary<float[], int> GraphBuffers(Tensor root, List<Tensor> order)
    {
        var counts = new Dictionary<float[], int>(ReferenceEqualityComparer.Instance);
        var kept = new HashSet<float[]>(ReferenceEqualityComparer.Instance) { root.Storage, _foreign };
        foreach (var node in order)
        {
            counts[node.Storage] = counts.GetValueOrDefault(node.Storage) + 1;
            foreach (var input in node.Op!.Inputs)
            {
                if (input.Op is null)
                {
                    kept.Add(input.Storage);
                }
            }

            foreach (var constant in node.Op.Constants)
            {
                kept.Add(constant.Storage);
            }
        }

        foreach (var storage in kept)
        {
            counts.Remove(storage);
        }

        return counts;
    }

    /// <summary>
    /// Marks <paramref name="node"/> as passed: its backward rule, and those of every op reading it (all later in the
    /// order), have run. With a released graph its buffer goes to the pool once every op output over it is passed,
    /// and so do buffers only its op kept (attention probabilities).
    /// </summary>
    private void Retire(Tensor node)
    {
        if (_graphBuffers is null)
        {
            return;
        }

        var storage = node.Storage;
        if (_graphBuffers.TryGetValue(storage, out var count))
        {
            if (count > 1)
            {
                _graphBuffers[storage] = count - 1;
            }
            else
            {
                _graphBuffers.Remove(storage);
                BufferPool.Return(storage);
            }
        }

        if (node.Op is AttentionOp attention)
        {
            BufferPool.Return(attention.Probs);
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
        _touched.Add(existing.Storage);
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
            var full = Tensor.Wrap(BufferPool.RentZeroed(x.Count), x.ShapeArray);
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
    /// Hands each gradient buffer the node just touched (its own gradient, the ones its rule made, pending sums it
    /// replaced) to the pool, once, when nothing can read it any more: made during this sweep (every gradient buffer
    /// but the caller's is), not referenced by any pending gradient — whole or through a view — and not adopted by a
    /// leaf. A buffer added into a pending sum or copied into a leaf's gradient dies here too.
    /// </summary>
    private void RecycleTouched()
    {
        foreach (var storage in _touched)
        {
            if (!ReferenceEquals(storage, _foreign) && !_references.ContainsKey(storage) && !_adopted.Contains(storage))
            {
                BufferPool.Return(storage);
            }
        }

        _touched.Clear();
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
