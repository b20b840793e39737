// Reverse-mode automatic differentiation over the recorded ops: a topological order of the graph reachable from
// the output, then gradients propagated from last op to first (as in PyTorch's engine and micrograd), accumulating
// into the Grad of every leaf that requires one.
using Loom.Core.Autograd;

namespace Loom.Core;

public sealed partial class Tensor
{
    /// <summary>Back-propagates from this one-element tensor (a loss), adding d this / d leaf into each leaf's <see cref="Grad"/>.</summary>
    public void Backward()
    {
        if (Count != 1)
        {
            throw new TensorShapeException($"Backward() needs a one-element tensor (a loss); found shape {ShapeMath.Format(_shape)}. Pass an output gradient instead.");
        }

        Backward(Ones(_shape));
    }

    /// <summary>Back-propagates <paramref name="outputGradient"/> (shaped like this tensor) into every leaf's <see cref="Grad"/>.</summary>
    public void Backward(Tensor outputGradient)
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

            new GradientFlow(outputGradient.Storage).Run(this, outputGradient, order);
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

    /// <summary>Non-leaf tensors reachable from this one, each after all the tensors it was computed from.</summary>
    private List<Tensor> TopologicalOrder()
    {
        var order = new List<Tensor>();
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Tensor Node, bool Expanded)>();
        stack.Push((this, false));
        while (stack.Count > 0)
        {
            var (node, expanded) = stack.Pop();
            if (expanded)
            {
                order.Add(node);
                continue;
            }

            if (node.Op is null || !visited.Add(node))
            {
                continue;
            }

            stack.Push((node, true));
            foreach (var input in node.Op.Inputs)
            {
                if (input.Op is not null && !visited.Contains(input))
                {
                    stack.Push((input, false));
                }
            }
        }

        return order;
    }
}
