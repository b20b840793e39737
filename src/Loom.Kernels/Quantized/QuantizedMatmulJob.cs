// One quantised product as a KernelJob: each part owns a fixed range of output columns (rows of W).
namespace Loom.Kernels;

/// <summary>The state of one <see cref="QuantizedMatmul"/> call, reused per calling thread.</summary>
internal sealed unsafe class QuantizedMatmulJob : KernelJob
{
    /// <summary>Floats of the per-thread dequantised panel (≈ 128 KiB: resident in L2 while every row of x uses it).</summary>
    private const int PanelFloats = 1 << 15;

    [ThreadStatic]
    private static float[]? t_panel;

    private GemmKernel _kernel;
    private QuantizedFormat _format;
    private byte* _weights;
    private int _n;
    private int _k;
    private float* _input;
    private int _m;
    private float* _output;
    private sbyte* _values;
    private float* _scales;
    private int* _quadSums;

    /// <summary>
    /// The product to run; <paramref name="values"/>, <paramref name="scales"/> and <paramref name="quadSums"/> are x
    /// quantised for the integer-dot path (QuantizedActivationRows), or null for the float32 paths.
    /// </summary>
    public void Set(GemmKernel kernel, QuantizedFormat format, byte* weights, int n, int k, float* input, int m, float* output, sbyte* values, float* scales, int* quadSums)
    {
        _kernel = kernel;
        _format = format;
        _weights = weights;
        _n = n;
        _k = k;
        _input = input;
        _m = m;
        _output = output;
        _values = values;
        _scales = scales;
        _quadSums = quadSums;
    }

    public void Clear()
    {
        _weights = null;
        _input = null;
        _output = null;
        _values = null;
        _scales = null;
        _quadSums = null;
    }

    public override void RunPart(int part, int parts)
    {
        var (start, end) = QuantizedMatmul.Columns(_n, part, parts);
        if (start < end)
        {
            RunColumns(start, end);
        }
    }

    /// <summary>Output columns [<paramref name="start"/>, <paramref name="end"/>): a multiple of 32 apart from the end.</summary>
    public void RunColumns(int start, int end)
    {
        if (_values is not null)
        {
            QuantizedIntegerDotRows.Rows(_kernel, _format, _weights, _k, _values, _scales, _quadSums, _m, _output, _n, start, end);
        }
        else if (_m <= QuantizedMatmul.MaxStreamingRows)
        {
            QuantizedDotRows.Rows(_kernel, _format, _weights, _k, _input, _m, _output, _n, start, end);
        }
        else
        {
            Panels(start, end);
        }
    }

    /// <summary>Dequantises panels of W rows into a float32 buffer and multiplies every row of x with each one.</summary>
    private void Panels(int start, int end)
    {
        var rowBytes = QuantizedLayout.RowBytes(_format, _k);
        var blocksPerRow = _k / QuantizedLayout.BlockValues;
        var panelRows = Math.Max(8, PanelFloats / _k / 8 * 8);
        var panel = t_panel is { Length: >= PanelFloats } existing && existing.Length >= panelRows * _k ? existing : t_panel = new float[Math.Max(PanelFloats, panelRows * _k)];
        var input = new ReadOnlySpan<float>(_input, _m * _k);
        var output = new Span<float>(_output, _m * _n);
        for (var j = start; j < end; j += panelRows)
        {
            var rows = Math.Min(panelRows, end - j);
            fixed (float* p = panel)
            {
                QuantizedRows.Dequantize(_format, _weights + ((nint)j * rowBytes), rows * blocksPerRow, p, _kernel != GemmKernel.Scalar);
            }

            Gemm.Multiply(_kernel, 1, false, true, _m, rows, _k, 1f, input, _k, panel.AsSpan(0, rows * _k), _k, 0f, output[j..], _n);
        }
    }
}
