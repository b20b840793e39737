namespace Loom.Kernels;

/// <summary>
/// Process-wide settings shared by the multi-threaded kernels.
/// </summary>
/// <remarks>
/// Kernels split work into a fixed partition that depends only on the problem shape and the degree of
/// parallelism, never on thread timing, so a run is reproducible bit for bit.
/// </remarks>
public static class KernelOptions
{
    private static int s_degreeOfParallelism = Environment.ProcessorCount;

    /// <summary>
    /// The number of threads a kernel may use (the calling thread included). Defaults to the number of cores.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public static int DegreeOfParallelism
    {
        get => Volatile.Read(ref s_degreeOfParallelism);
        set
        {
            if (value < 1)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(value), value, $"{nameof(KernelOptions)}.{nameof(DegreeOfParallelism)} must be at least 1, found {value}.");
            }

            Volatile.Write(ref s_degreeOfParallelism, value);
        }
    }
}
