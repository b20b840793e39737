namespace Loom.Core;

/// <summary>
/// Walks every row (all dimensions but the last) of a shape for several operands that share it through their own
/// strides, calling the body with each operand's starting offset. The caller walks the last dimension itself.
/// </summary>
internal static class StridedLoop
{
    public static void ForEachRow(int[] shape, int[][] strides, int[] offsets, RowAction body)
    {
        var rank = shape.Length;
        var operands = strides.Length;
        var current = (int[])offsets.Clone();
        if (rank <= 1)
        {
            if (rank == 0 || shape[0] > 0)
            {
                body(current);
            }

            return;
        }

        for (var d = 0; d < rank - 1; d++)
        {
            if (shape[d] == 0)
            {
                return;
            }
        }

        var counter = new int[rank - 1];
        while (true)
        {
            body(current);
            var d = rank - 2;
            while (d >= 0)
            {
                counter[d]++;
                for (var o = 0; o < operands; o++)
                {
                    current[o] += strides[o][d];
                }

                if (counter[d] < shape[d])
                {
                    break;
                }

                for (var o = 0; o < operands; o++)
                {
                    current[o] -= strides[o][d] * shape[d];
                }

                counter[d] = 0;
                d--;
            }

            if (d < 0)
            {
                return;
            }
        }
    }
}
