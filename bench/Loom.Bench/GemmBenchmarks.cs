// BenchmarkDotNet view of Loom's SGEMM on the shapes of issue 2. The same-run ratio against OpenBLAS
// cblas_sgemm is `loom bench gemm` (apps/Loom.Cli/Commands/BenchGemmCommand.cs); GFLOP/s = 2·M·K·N / time.
using BenchmarkDotNet.Attributes;
using Loom.Kernels;

namespace Loom.Bench;

/// <summary>Time of one C = A·op(W) with A (M × K) and the weight stored N × K (x·Wᵀ) or K × N.</summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private float[] _a = [];
    private float[] _b = [];
    private float[] _c = [];
    private int _m;
    private int _k;
    private int _n;

    /// <summary>M×K×N.</summary>
    [Params("512x768x768", "512x768x3072", "512x3072x768", "2048x2048x2048")]
    public string Shape { get; set; } = "512x768x768";

    /// <summary>True: weight stored N × K and used transposed (the Linear layer layout); false: stored K × N.</summary>
    [Params(true, false)]
    public bool WeightNk { get; set; }

    /// <summary>Degree of parallelism given to the kernel.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var dims = Shape.Split('x').Select(int.Parse).ToArray();
        (_m, _k, _n) = (dims[0], dims[1], dims[2]);
        var random = new Random(1);
        _a = Enumerable.Range(0, _m * _k).Select(_ => (random.NextSingle() * 2) - 1).ToArray();
        _b = Enumerable.Range(0, _k * _n).Select(_ => (random.NextSingle() * 2) - 1).ToArray();
        _c = new float[_m * _n];
        KernelOptions.DegreeOfParallelism = Threads;
    }

    [Benchmark]
    public void Multiply() =>
        Gemm.Multiply(false, WeightNk, _m, _n, _k, 1f, _a, _k, _b, WeightNk ? _k : _n, 0f, _c, _n);
}
