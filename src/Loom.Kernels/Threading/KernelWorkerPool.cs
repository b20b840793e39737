// Long-lived worker threads for the multi-threaded kernels (GEMM, quantised matmul). The caller runs part 0 and
// worker w part w + 1, so which thread computes which part is fixed and nothing is allocated per call once the workers
// exist. Tuned for token-by-token decoding as well as training: a generation step issues dozens of small products back
// to back, so an idle worker spins (pausing) for a short while before it sleeps, and the caller spins on the parts still
// running. Waking a sleeping thread costs tens of microseconds, about as long as a whole decode-sized product.
using System.Diagnostics.CodeAnalysis;

namespace Loom.Kernels;

/// <summary>
/// Runs the parts of a <see cref="KernelJob"/>: the caller runs part 0 and worker w part w + 1. A call that finds the
/// pool busy (another thread is using it, or a part of a running job calls in again) runs every part itself, which
/// gives the same bits.
/// </summary>
internal static class KernelWorkerPool
{
    /// <summary>Pause rounds a worker spends looking for the next job before it sleeps (≈ 0.1–0.3 ms).</summary>
    private const int IdleSpins = 4000;

    /// <summary>Spin steps between two yields of the core (see <see cref="Pause"/>).</summary>
    private const int YieldEvery = 64;

    private static readonly Lock s_gate = new();
    private static readonly List<Worker> s_workers = [];
    private static readonly object s_doneGate = new();
    private static KernelJob? s_job;
    private static int s_parts;
    private static int s_pending;
    private static Exception? s_error;

    /// <summary>Runs all <paramref name="parts"/> parts of <paramref name="job"/> and returns when they are done.</summary>
    public static void Run(KernelJob job, int parts)
    {
        if (parts <= 1 || s_gate.IsHeldByCurrentThread || !s_gate.TryEnter())
        {
            for (var part = 0; part < parts; part++)
            {
                job.RunPart(part, parts);
            }

            return;
        }

        try
        {
            while (s_workers.Count < parts - 1)
            {
                s_workers.Add(new Worker(s_workers.Count + 1));
            }

            s_job = job;
            s_parts = parts;
            s_error = null;
            Volatile.Write(ref s_pending, parts - 1);
            for (var w = 0; w < parts - 1; w++)
            {
                s_workers[w].Start();
            }

            try
            {
                job.RunPart(0, parts);
            }
            finally
            {
                WaitForWorkers();
            }

            if (s_error is not null)
            {
                throw new InvalidOperationException("A kernel worker thread failed.", s_error);
            }
        }
        finally
        {
            s_job = null;
            s_gate.Exit();
        }
    }

    /// <summary>
    /// One step of a spin-wait: a short pause, and every <see cref="YieldEvery"/> steps a yield of the core, so that a
    /// thread this one waits for can run when both share a core (an oversubscribed or throttled machine, where pure
    /// spinning would hold the core for a whole time slice per hand-off and make two threads many times slower than one).
    /// </summary>
    private static void Pause(int spin)
    {
        if (spin % YieldEvery == YieldEvery - 1)
        {
            Thread.Yield();
        }
        else
        {
            Thread.SpinWait(8);
        }
    }

    private static void WaitForWorkers()
    {
        for (var spin = 0; spin < IdleSpins; spin++)
        {
            if (Volatile.Read(ref s_pending) == 0)
            {
                return;
            }

            Pause(spin);
        }

        lock (s_doneGate)
        {
            while (Volatile.Read(ref s_pending) != 0)
            {
                Monitor.Wait(s_doneGate);
            }
        }
    }

    [SuppressMessage("Design", "CA1001", Justification = "Workers and their events live as long as the process.")]
    private sealed class Worker
    {
        private readonly ManualResetEventSlim _go = new(false, spinCount: 1);
        private readonly int _part;
        private int _ticket;

        public Worker(int part)
        {
            _part = part;
            var thread = new Thread(Loop) { IsBackground = true, Name = $"Loom kernel worker {part}" };
            thread.Start();
        }

        /// <summary>Announces a job: the ticket moves first, then the event is set, so a worker never misses one.</summary>
        public void Start()
        {
            Interlocked.Increment(ref _ticket);
            _go.Set();
        }

        private void Loop()
        {
            var seen = 0;
            while (true)
            {
                var spins = 0;
                while (Volatile.Read(ref _ticket) == seen)
                {
                    if (spins < IdleSpins)
                    {
                        Pause(spins++);
                    }
                    else
                    {
                        _go.Wait();
                        _go.Reset();
                    }
                }

                seen = Volatile.Read(ref _ticket);
                try
                {
                    s_job!.RunPart(_part, s_parts);
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
