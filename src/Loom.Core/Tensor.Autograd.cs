// Reverse-mode automatic differentiation over the recorded ops: a topological order of the graph reachable from
// the output, then gradients propagated from last op to first (as in PyTorch's engine and micrograd), accumulating
// into the Grad of every leaf that requires one.
using Loom.Core.Autograd;

namespace Loom.Core;

public sealed partial class Tensor
{
    /// <summary>Back-propagates from this one-element tensor (a loss), adding d this / d leaf into each leaf's <see cref="Grad"/>.</summary>
    public void Backward() => Backward(releaseGraph: false);

    /// <summary>
    /// Back-propagates from this one-element tensor (a loss). With <paramref name="releaseGraph"/> the sweep also hands
    /// the buffers of every op output it passes (the activations between the leaves and this loss) to the engine's
    /// buffer pool, where later ops reuse them — the training loop's step, which then allocates almost nothing. The
    /// graph's intermediate tensors (logits, hidden states, views of them) must not be read afterwards, and the graph
    /// cannot be swept again; this loss, the leaves and their gradients stay valid.
    /// </summary>
    public void Backward(bool releaseGraph)
    {
        if (Count != 1)
        {
            throw new TensorShapeException($"Backward() needs a one-element tensor (a loss); found shape {ShapeMath.Format(_shape)}. Pass an output gradient instead.");
        }

        Backward(Ones(_shape), releaseGraph);
    }

    /// <summary>Back-propagates <paramref name="outputGradient"/> (shaped like this tensor) into every leaf's <see cref="Grad"/>.</summary>
    public void Backward(Tensor outputGradient) => Backward(outputGradient, releaseGraph: false);

    private void Backward(Tensor outputGradient, bool releaseGraph)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        if (!RequiresGrad)
        {
            throw new InvalidOperationException("Backward: this tensor does not require a gradient (no input had RequiresGrad, or it was computed under NoGrad).");
        }

        if (!ShapeMath.SameShape(outputGradient._shape, _shape))
        {
            throw new TensorShapeException($"Backward: the output gradient has shape {ShapeMath.Format(outputGradient._shape)}; expected {ShapeMath.Format(_shape)}.");
        }

        var order = TopologicalOrder();
        using (NoGrad())
        {
            if (Op is null)
            {
                Accumulate(this, outputGradient, exclusive: false);
                return;
            }

            new GradientFlow(outputGradient.Storage, releaseGraph).Run(this, outputGradient, order);
        }
    }

    /// <summary>
    /// Adds <paramref name="gradient"/> into the leaf's <see cref="Grad"/>. With <paramref name="exclusive"/> (the
    /// gradient's buffer is a whole, contiguous buffer that nothing else refers to) a leaf without a gradient adopts
    /// the buffer instead of copying it.
    /// </summary>
    internal static void Accumulate(Tensor leaf, Tensor gradient, bool exclusive)
    {
        if (leaf.Grad is null)
        {
            leaf.Grad = exclusive
                ? new Tensor(gradient._storage, (int[])leaf._shape.Clone())
                : new Tensor(gradient.ToArray(), (int[])leaf._shape.Clone());
        }
        else
        {
            var target = leaf.Grad.AsSpan();
            System.Numerics.Tensors.TensorPrimitives.Add(target, gradient.ReadSpan(), target);
        }
    }


    /// <summary>True when this tensor is its whole storage, in row-major order from offset 0.</summary>
    internal bool OwnsWholeStorage => _offset == 0 && Count == _storage.Length && IsContiguous;

    /// <summary>
    /// Non-leaf tensors reachable from this one in the order their ops were recorded (each after the tensors it was
    /// computed from), so the sweep visits them in exactly the reverse of the forward pass: a tied weight's two uses
    /// (an embedding at the start, the output head at the end) get their gradients far apart, and the head's comes
    /// first and becomes the weight's gradient buffer.
    /// </summary>
    private List<Tensor> TopologicalOrder()
    {
        var order = new List<Tensor>();
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Tensor>();
        stack.Push(this);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (node.Op is null || !visited.Add(node))
            {
                continue;
            }

            order.Add(node);
            foreach (var input in node.Op.Inputs)
            {
                stack.Push(input);
            }
        }

        order.Sort(static (a, b) => a.Op!.Sequence.CompareTo(b.Op!.Sequence));
        return order;
    }
}
