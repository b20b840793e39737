// Strided tensor over a float32 buffer, in the spirit of PyTorch's TensorImpl (storage + sizes + strides +
// storage offset) and candle's Tensor/Layout. Views share storage; operations allocate fresh contiguous outputs.
using Loom.Core.Autograd;
using Loom.Kernels;

namespace Loom.Core;

/// <summary>
/// An n-dimensional float32 tensor: a shared storage buffer read through a shape, strides and an offset, so that
/// reshape, transpose, narrow, expand and friends are views that copy nothing. Operations record an autograd
/// <see cref="Op"/> when an input requires a gradient and gradients are enabled (see <see cref="NoGrad"/>).
/// </summary>
public sealed partial class Tensor
{
    private readonly float[] _storage;
    private readonly int[] _shape;
    private readonly int[] _strides;
    private readonly int _offset;
    private bool _requiresGrad;

    internal Tensor(float[] storage, int[] shape, int[] strides, int offset)
    {
        _storage = storage;
        _shape = shape;
        _strides = strides;
        _offset = offset;
        Count = 1;
        foreach (var d in shape)
        {
            Count *= d;
        }
    }

    internal Tensor(float[] storage, int[] shape) : this(storage, shape, ShapeMath.ContiguousStrides(shape), 0)
    {
    }

    /// <summary>The size of every dimension.</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>Number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>Number of elements.</summary>
    public int Count { get; }

    /// <summary>True when the elements lie in row-major order without gaps, starting at the view's offset.</summary>
    public bool IsContiguous
    {
        get
        {
            var expected = 1;
            for (var i = _shape.Length - 1; i >= 0; i--)
            {
                if (_shape[i] != 1 && _strides[i] != expected)
                {
                    return false;
                }

                expected *= _shape[i];
            }

            return true;
        }
    }

    /// <summary>
    /// Whether gradients flow to this tensor. Settable on leaves (tensors no op produced); an op's output requires a
    /// gradient when any input does.
    /// </summary>
    public bool RequiresGrad
    {
        get => _requiresGrad || Op is not null;
        set
        {
            if (Op is not null)
            {
                throw new InvalidOperationException("RequiresGrad can only be set on a leaf tensor; this tensor is the output of an operation (use Detach()).");
            }

            _requiresGrad = value;
        }
    }

    /// <summary>The accumulated gradient of a leaf after <see cref="Backward()"/>; null before (or after ZeroGrad).</summary>
    public Tensor? Grad { get; set; }

    /// <summary>The operation that produced this tensor, or null for a leaf (and under <see cref="NoGrad"/>).</summary>
    internal Op? Op { get; private set; }

    internal float[] Storage => _storage;

    /// <summary>
    /// Asks the OS to back this tensor's storage with huge pages (<see cref="HugePages.Advise"/>), for long-lived tensors
    /// such as model weights; returns the bytes collapsed (0 where the OS declines). Values are unchanged.
    /// </summary>
    public long AdviseHugePages() => HugePages.Advise(_storage);

    internal int[] ShapeArray => _shape;

    internal int[] Strides => _strides;

    internal int Offset => _offset;

    /// <summary>Size of one dimension (negative counts from the end).</summary>
    public int Size(int dim) => _shape[ShapeMath.NormalizeDim(dim, Rank, "Size")];

    /// <summary>Element at a full index (slow; for tests and inspection).</summary>
    [System.Runtime.CompilerServices.IndexerName("Element")]
    public float this[params int[] index]
    {
        get
        {
            if (index.Length != Rank)
            {
                throw new TensorIndexException($"Index has {index.Length} coordinates; the tensor has rank {Rank}.");
            }

            var at = _offset;
            for (var i = 0; i < index.Length; i++)
            {
                if ((uint)index[i] >= (uint)_shape[i])
                {
                    throw new TensorIndexException($"Index {index[i]} is out of range for dimension {i} of size {_shape[i]}.");
                }

                at += index[i] * _strides[i];
            }

            return _storage[at];
        }
    }

    /// <summary>The single value of a one-element tensor.</summary>
    public float Item()
    {
        if (Count != 1)
        {
            throw new TensorShapeException($"Item() needs a tensor with exactly one element; found shape {ShapeMath.Format(_shape)}.");
        }

        return _storage[_offset];
    }

    /// <summary>A copy of the elements in row-major order.</summary>
    public float[] ToArray() => ReadSpan().ToArray();

    /// <summary>
    /// The elements of a contiguous tensor as a writable span over its storage (writes are visible through every view
    /// and bypass autograd: use it for parameter updates and loading). Throws for non-contiguous views.
    /// </summary>
    public Span<float> AsSpan()
    {
        if (!IsContiguous)
        {
            throw new InvalidOperationException($"AsSpan() needs a contiguous tensor; this view of shape {ShapeMath.Format(_shape)} has strides {ShapeMath.Format(_strides)}. Call Contiguous() first.");
        }

        return _storage.AsSpan(_offset, Count);
    }

    /// <summary>A tensor sharing this storage but cut from the graph: no op, no gradient.</summary>
    public Tensor Detach() => new(_storage, _shape, _strides, _offset);

    /// <summary>Contiguous tensor with the same values: this one when already contiguous, else a copy (differentiable).</summary>
    public Tensor Contiguous()
    {
        if (IsContiguous)
        {
            return this;
        }

        var result = Materialize();
        return Record(result, new ContiguousOp(this), this);
    }

    /// <summary>Forgets the accumulated gradient.</summary>
    public void ZeroGrad() => Grad = null;

    /// <summary>
    /// Forgets the accumulated gradient; with <paramref name="releaseBuffer"/> its buffer goes to the engine's buffer
    /// pool, where the next backward pass reuses it, so the old <see cref="Grad"/> tensor must not be read afterwards.
    /// </summary>
    public void ZeroGrad(bool releaseBuffer)
    {
        if (releaseBuffer && Grad is { OwnsWholeStorage: true } grad)
        {
            BufferPool.Return(grad._storage);
        }

        Grad = null;
    }

    /// <inheritdoc/>
    public override string ToString() => $"Tensor({ShapeMath.Format(_shape)}{(RequiresGrad ? ", requires_grad" : string.Empty)})";

    /// <summary>Contiguous copy (or this) with no autograd record.</summary>
    internal Tensor Materialize()
    {
        if (IsContiguous)
        {
            return this;
        }

        var result = new Tensor(Uninitialized(Count), (int[])_shape.Clone());
        CopyInto(result, this);
        return result;
    }

    /// <summary>The elements of a contiguous copy as a read-only span (no autograd).</summary>
    internal ReadOnlySpan<float> ReadSpan()
    {
        var m = Materialize();
        return m._storage.AsSpan(m._offset, m.Count);
    }

    /// <summary>Writes <paramref name="source"/> (broadcast to the destination's shape) into the view <paramref name="destination"/>.</summary>
    internal static void CopyInto(Tensor destination, Tensor source) => WriteInto(destination, source, accumulate: false, "CopyInto");

    /// <summary>Adds <paramref name="source"/> (broadcast to the destination's shape) into the view <paramref name="destination"/>, elementwise.</summary>
    internal static void AddInto(Tensor destination, Tensor source) => WriteInto(destination, source, accumulate: true, "AddInto");

    /// <summary>destination = source, or destination += source with <paramref name="accumulate"/>, row by row over the strides.</summary>
    private static void WriteInto(Tensor destination, Tensor source, bool accumulate, string op)
    {
        var shape = destination._shape;
        var sourceStrides = ShapeMath.BroadcastStrides(source._shape, source._strides, shape, op);
        var n = shape.Length == 0 ? 1 : shape[^1];
        var dl = shape.Length == 0 ? 1 : destination._strides[^1];
        var sl = shape.Length == 0 ? 1 : sourceStrides[^1];
        var dst = destination._storage;
        var src = source._storage;
        StridedLoop.ForEachRow(shape, [destination._strides, sourceStrides], [destination._offset, source._offset], o =>
        {
            if (dl == 1 && sl == 1)
            {
                var target = dst.AsSpan(o[0], n);
                if (accumulate)
                {
                    System.Numerics.Tensors.TensorPrimitives.Add(target, src.AsSpan(o[1], n), target);
                }
                else
                {
                    src.AsSpan(o[1], n).CopyTo(target);
                }

                return;
            }

            for (var i = 0; i < n; i++)
            {
                var value = src[o[1] + (i * sl)];
                dst[o[0] + (i * dl)] = accumulate ? dst[o[0] + (i * dl)] + value : value;
            }
        });
    }

    /// <summary>
    /// A buffer for an op output that the op overwrites completely: large arrays skip the GC's zeroing (the kernels
    /// write every element), which is a memory pass saved per activation and per gradient. A dead buffer of the same
    /// length is reused when there is one (<see cref="BufferPool"/>).
    /// </summary>
    internal static float[] Uninitialized(int count) => BufferPool.Rent(count);

    /// <summary>A tensor over <paramref name="data"/> (not copied) with a copy of <paramref name="shape"/>.</summary>
    internal static Tensor Wrap(float[] data, int[] shape) => new(data, (int[])shape.Clone());

    /// <summary>Attaches <paramref name="op"/> to <paramref name="result"/> when gradients are enabled and an input needs one.</summary>
    internal static Tensor Record(Tensor result, Op op, params ReadOnlySpan<Tensor> inputs)
    {
        if (!GradMode.IsEnabled)
        {
            return result;
        }

        foreach (var input in inputs)
        {
            if (input.RequiresGrad)
            {
                result.Op = op;
                return result;
            }
        }

        return result;
    }

    /// <summary>True when an op over these inputs will be recorded (lets ops skip saving backward state).</summary>
    internal static bool WillRecord(params ReadOnlySpan<Tensor> inputs)
    {
        if (!GradMode.IsEnabled)
        {
            return false;
        }

        foreach (var input in inputs)
        {
            if (input.RequiresGrad)
            {
                return true;
            }
        }

        return false;
    }
}
