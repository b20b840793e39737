namespace Loom.Core;

/// <summary>Shape arithmetic shared by tensor operations: counts, strides, broadcasting, dimension normalisation.</summary>
internal static class ShapeMath
{
    public static string Format(IReadOnlyList<int> shape) => "[" + string.Join(", ", shape) + "]";

    public static int CountOf(int[] shape, string where)
    {
        long count = 1;
        foreach (var d in shape)
        {
            if (d < 0)
            {
                throw new TensorShapeException($"{where}: dimension sizes must be non-negative; found {Format(shape)}.");
            }

            count *= d;
            if (count > Array.MaxLength)
            {
                throw new TensorShapeException($"{where}: shape {Format(shape)} has more elements than an array can hold.");
            }
        }

        return (int)count;
    }

    /// <summary>Resolves one −1 entry so that the shape holds exactly <paramref name="count"/> elements.</summary>
    public static int[] InferShape(int[] shape, int count, string where)
    {
        var result = (int[])shape.Clone();
        var inferAt = -1;
        long known = 1;
        for (var i = 0; i < result.Length; i++)
        {
            if (result[i] == -1)
            {
                if (inferAt >= 0)
                {
                    throw new TensorShapeException($"{where}: at most one dimension may be -1; found {Format(shape)}.");
                }

                inferAt = i;
            }
            else if (result[i] < 0)
            {
                throw new TensorShapeException($"{where}: invalid dimension {result[i]} in {Format(shape)}.");
            }
            else
            {
                known *= result[i];
            }
        }

        if (inferAt >= 0)
        {
            if (known == 0 || count % known != 0)
            {
                throw new TensorShapeException($"{where}: cannot infer -1 in {Format(shape)} for {count} elements.");
            }

            result[inferAt] = (int)(count / known);
            known *= result[inferAt];
        }

        if (known != count)
        {
            throw new TensorShapeException($"{where}: shape {Format(shape)} holds {known} elements; expected {count}.");
        }

        return result;
    }

    public static int[] ContiguousStrides(int[] shape)
    {
        var strides = new int[shape.Length];
        var s = 1;
        for (var i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= Math.Max(shape[i], 1);
        }

        return strides;
    }

    public static int NormalizeDim(int dim, int rank, string where)
    {
        var d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= rank)
        {
            throw new TensorIndexException($"{where}: dimension {dim} is out of range for a tensor of rank {rank} (expected {-rank}..{rank - 1}).");
        }

        return d;
    }

    public static int FlatIndex(int[] shape, int[] index)
    {
        if (index.Length != shape.Length)
        {
            throw new TensorIndexException($"Index has {index.Length} coordinates; the tensor has rank {shape.Length}.");
        }

        var flat = 0;
        for (var i = 0; i < shape.Length; i++)
        {
            if ((uint)index[i] >= (uint)shape[i])
            {
                throw new TensorIndexException($"Index {index[i]} is out of range for dimension {i} of size {shape[i]}.");
            }

            flat = (flat * shape[i]) + index[i];
        }

        return flat;
    }

    /// <summary>NumPy broadcasting of two shapes (align right; a size of 1 stretches).</summary>
    public static int[] Broadcast(int[] a, int[] b, string where)
    {
        var rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (var i = 0; i < rank; i++)
        {
            var da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            var db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
            {
                throw new TensorShapeException($"{where}: shapes {Format(a)} and {Format(b)} cannot be broadcast (dimension {i}: {da} vs {db}).");
            }

            result[i] = da == 1 ? db : da;
        }

        return result;
    }

    /// <summary>Strides that read a tensor of (shape, strides) as if it had <paramref name="target"/> shape (0 where broadcast).</summary>
    public static int[] BroadcastStrides(int[] shape, int[] strides, int[] target, string where)
    {
        var lead = target.Length - shape.Length;
        if (lead < 0)
        {
            throw new TensorShapeException($"{where}: cannot broadcast shape {Format(shape)} to the lower-rank shape {Format(target)}.");
        }

        var result = new int[target.Length];
        for (var i = 0; i < shape.Length; i++)
        {
            if (shape[i] == target[lead + i])
            {
                result[lead + i] = shape[i] == 1 ? 0 : strides[i];
            }
            else if (shape[i] == 1)
            {
                result[lead + i] = 0;
            }
            else
            {
                throw new TensorShapeException($"{where}: cannot broadcast shape {Format(shape)} to {Format(target)}.");
            }
        }

        return result;
    }

    public static bool SameShape(int[] a, int[] b) => a.AsSpan().SequenceEqual(b);
}
