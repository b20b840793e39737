using System.Diagnostics.CodeAnalysis;

namespace Loom.Kernels;

/// <summary>
/// Long-lived worker threads for <see cref="Gemm"/>. The caller runs part 0 and worker w runs part w + 1,
/// so which thread computes which rectangle of C is fixed; nothing is allocated per call once the workers
/// exist. A call that finds the pool busy (another thread is multiplying) runs all parts itself, which
/// gives the same bits because every part is computed the same way on any thread.
/// </summary>
internal static class GemmWorkerPool
{
    private static readonly Lock s_gate = new();
    private static readonly List<Worker> s_workers = [];
    private static readonly object s_doneGate = new();
    private static GemmProblem s_problem;
    private static GemmKernel s_kernel;
    private static int s_parts;
    private static int s_pending;
    private static Exception? s_error;

    /// <summary>Runs all <paramref name="parts"/> parts of <paramref name="problem"/> and returns when they are done.</summary>
    public static void Run(in GemmProblem problem, GemmKernel kernel, int parts)
    {
        if (parts <= 1 || !s_gate.TryEnter())
        {
            for (var part = 0; part < parts; part++)
            {
                GemmPartition.RunPart(problem, kernel, part, parts);
            }

            return;
        }

        try
        {
            while (s_workers.Count < parts - 1)
            {
                s_workers.Add(new Worker(s_workers.Count + 1));
            }

            s_problem = problem;
            s_kernel = kernel;
            s_parts = parts;
            s_error = null;
            Volatile.Write(ref s_pending, parts - 1);
            for (var w = 0; w < parts - 1; w++)
            {
                s_workers[w].Start();
            }

            try
            {
                GemmPartition.RunPart(problem, kernel, 0, parts);
            }
            finally
            {
                WaitForWorkers();
            }

            if (s_error is not null)
            {
                throw new InvalidOperationException("A GEMM worker thread failed.", s_error);
            }
        }
        finally
        {
            s_gate.Exit();
        }
    }

    /// <summary>
    /// Spins briefly (parts usually finish together), then sleeps on a monitor; unlike a lazily initialised
    /// event this allocates nothing on the first blocking wait.
    /// </summary>
    private static void WaitForWorkers()
    {
        var spinner = default(SpinWait);
        while (Volatile.Read(ref s_pending) != 0)
        {
            if (spinner.NextSpinWillYield)
            {
                lock (s_doneGate)
                {
                    while (Volatile.Read(ref s_pending) != 0)
                    {
                        Monitor.Wait(s_doneGate);
                    }
                }

                return;
            }

            spinner.SpinOnce();
        }
    }

    [SuppressMessage("Design", "CA1001", Justification = "Workers and their events live as long as the process.")]
    private sealed class Worker
    {
        private readonly ManualResetEventSlim _go = new(false);
        private readonly int _part;

        public Worker(int part)
        {
            _part = part;
            var thread = new Thread(Loop) { IsBackground = true, Name = $"Loom GEMM worker {part}" };
            thread.Start();
        }

        public void Start() => _go.Set();

        private void Loop()
        {
            while (true)
            {
                _go.Wait();
                _go.Reset();
                try
                {
                    GemmPartition.RunPart(s_problem, s_kernel, _part, s_parts);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    s_error = e;
                }

                if (Interlocked.Decrement(ref s_pending) == 0)
                {
                    lock (s_doneGate)
                    {
                        Monitor.PulseAll(s_doneGate);
                    }
                }
            }
        }
    }
}
