namespace Loom.Kernels;

/// <summary>
/// Work split into a fixed number of parts for <see cref="KernelWorkerPool"/>. Part p of P must compute the same
/// outputs the same way on any thread, so that results never depend on scheduling.
/// </summary>
internal abstract class KernelJob
{
    /// <summary>Computes part <paramref name="part"/> of <paramref name="parts"/>.</summary>
    public abstract void RunPart(int part, int parts);
}
