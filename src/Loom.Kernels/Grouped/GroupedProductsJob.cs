// The products of one GroupedProducts call as a single KernelJob: the output rows of all the weights, taken in order,
// are cut into 32-row units (GemmDotRows' and QuantizedMatmul's split unit, so every unit starts on the same 4-row
// grid as in the single product) and part p of P takes the same contiguous run of units as GemmPartition would give it.
using System.Numerics.Tensors;

namespace Loom.Kernels;

/// <summary>The pinned input of a grouped call: x and, when a weight asks for it, x quantised to int8 blocks (else null).</summary>
internal readonly unsafe struct GroupedInput(float* x, int m, int k, sbyte* values, float* scales, int* quadSums)
{
    public float* X { get; } = x;

    public int M { get; } = m;

    public int K { get; } = k;

    public sbyte* Values { get; } = values;

    public float* Scales { get; } = scales;

    public int* QuadSums { get; } = quadSums;
}

/// <summary>The state of one <see cref="GroupedProducts"/> call, reused per calling thread.</summary>
internal sealed unsafe class GroupedProductsJob : KernelJob
{
    /// <summary>Output rows per unit of the split.</summary>
    public const int RowUnit = 32;

    [ThreadStatic]
    private static GroupedProductsJob? t_job;

    private Member[] _members = [];
    private QuantizedMatmulJob[] _quantized = [];
    private int _count;
    private int _units;
    private GemmKernel _floatKernel;

    /// <summary>Runs every product of the group as one job of <paramref name="parts"/> parts.</summary>
    public static void Run(GemmKernel floatKernel, GemmKernel quantizedKernel, int parts, GroupedInput input,
        ReadOnlySpan<GroupedWeight> weights, ReadOnlySpan<Memory<float>> outputs)
    {
        var job = t_job ??= new GroupedProductsJob();
        job.Prepare(weights.Length, floatKernel);
        try
        {
            job.PinAndRun(0, quantizedKernel, parts, input, weights, outputs);
        }
        finally
        {
            job.Clear();
        }
    }

    /// <inheritdoc/>
    public override void RunPart(int part, int parts)
    {
        var first = (int)((long)_units * part / parts);
        var last = (int)((long)_units * (part + 1) / parts);
        var unit = 0; // the first unit of the member
        for (var i = 0; i < _count && unit < last; i++)
        {
            ref readonly var member = ref _members[i];
            var units = (member.Rows + RowUnit - 1) / RowUnit;
            var from = Math.Max(first, unit);
            var to = Math.Min(last, unit + units);
            if (from < to)
            {
                RunRows(member, (from - unit) * RowUnit, Math.Min(member.Rows, (to - unit) * RowUnit));
            }

            unit += units;
        }
    }

    private void Prepare(int count, GemmKernel floatKernel)
    {
        if (_members.Length < count)
        {
            _members = new Member[count];
            var quantized = new QuantizedMatmulJob[count];
            for (var i = 0; i < count; i++)
            {
                quantized[i] = i < _quantized.Length ? _quantized[i] : new QuantizedMatmulJob();
            }

            _quantized = quantized;
        }

        (_count, _units, _floatKernel) = (count, 0, floatKernel);
    }

    /// <summary>Pins the operands of member <paramref name="i"/> and, once all are pinned, runs the job.</summary>
    private void PinAndRun(int i, GemmKernel quantizedKernel, int parts, GroupedInput input, ReadOnlySpan<GroupedWeight> weights, ReadOnlySpan<Memory<float>> outputs)
    {
        if (i == weights.Length)
        {
            KernelWorkerPool.Run(this, parts);
            return;
        }

        var weight = weights[i];
        fixed (float* values = weight.Values.Span)
        fixed (byte* blocks = weight.Blocks.Span)
        fixed (float* bias = weight.Bias.Span)
        fixed (float* y = outputs[i].Span)
        {
            var (m, n, k) = (input.M, weight.Rows, input.K);
            QuantizedMatmulJob? quantized = null;
            if (weight.IsQuantized)
            {
                quantized = _quantized[i];
                var integer = weight.Activations == QuantizedActivations.Int8;
                quantized.Set(quantizedKernel, weight.Format, blocks, n, k, input.X, m, y,
                    integer ? input.Values : null, integer ? input.Scales : null, integer ? input.QuadSums : null);
            }

            _members[i] = new Member(new GemmProblem(false, true, m, n, k, 1f, input.X, k, values, k, 0f, y, n), quantized, bias);
            _units += (n + RowUnit - 1) / RowUnit;
            PinAndRun(i + 1, quantizedKernel, parts, input, weights, outputs);
        }
    }

    /// <summary>Output rows [start, end) of one member for every input row, then its bias on them.</summary>
    private void RunRows(in Member member, int start, int end)
    {
        var problem = member.Problem;
        if (member.Quantized is { } quantized)
        {
            quantized.RunColumns(start, end);
        }
        else
        {
            GemmDotRows.Run(problem, _floatKernel, start, end);
        }

        if (member.Bias is not null)
        {
            var bias = new ReadOnlySpan<float>(member.Bias + start, end - start);
            for (var i = 0; i < problem.M; i++)
            {
                var row = new Span<float>(problem.C + ((nint)i * problem.Ldc) + start, end - start);
                TensorPrimitives.Add(row, bias, row);
            }
        }
    }

    /// <summary>Drops the pinned pointers once the call is over.</summary>
    private void Clear()
    {
        for (var i = 0; i < _count; i++)
        {
            _members[i].Quantized?.Clear();
            _members[i] = default;
        }

        _count = 0;
    }

    /// <summary>
    /// One weight: its float32 product (B = W stored N × K, C = its output; also the shape and output of a quantised
    /// weight), the quantised product when the weight is quantised, and the bias or null.
    /// </summary>
    private readonly struct Member(GemmProblem problem, QuantizedMatmulJob? quantized, float* bias)
    {
        public GemmProblem Problem { get; } = problem;

        public QuantizedMatmulJob? Quantized { get; } = quantized;

        public float* Bias { get; } = bias;

        public int Rows => Problem.N;
    }
}
