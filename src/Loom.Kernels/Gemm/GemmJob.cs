// One GEMM call as a KernelJob: GemmPartition fixes which rectangle of C each part computes, so the bits never
// depend on which thread runs a part.
namespace Loom.Kernels;

/// <summary>The state of one <see cref="Gemm"/> call, reused per calling thread (nothing allocated per call).</summary>
internal sealed class GemmJob : KernelJob
{
    [ThreadStatic]
    private static GemmJob? t_job;

    private GemmProblem _problem;
    private GemmKernel _kernel;

    /// <summary>Runs all <paramref name="parts"/> parts of <paramref name="problem"/> on the kernel worker pool.</summary>
    public static void Run(in GemmProblem problem, GemmKernel kernel, int parts)
    {
        var job = t_job ??= new GemmJob();
        job._problem = problem;
        job._kernel = kernel;
        try
        {
            KernelWorkerPool.Run(job, parts);
        }
        finally
        {
            job._problem = default; // drop the pinned pointers once the call is over
        }
    }

    /// <inheritdoc/>
    public override void RunPart(int part, int parts) => GemmPartition.RunPart(_problem, _kernel, part, parts);
}
