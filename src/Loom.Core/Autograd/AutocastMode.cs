using Loom.Kernels;

namespace Loom.Core.Autograd;

/// <summary>Per-thread operand precision of matrix products inside <see cref="Tensor.Autocast"/> scopes.</summary>
internal static class AutocastMode
{
    [ThreadStatic]
    private static GemmPrecision t_precision;

    public static GemmPrecision Precision => t_precision;

    /// <summary>Sets the precision and returns the one it replaces.</summary>
    public static GemmPrecision Exchange(GemmPrecision precision)
    {
        var previous = t_precision;
        t_precision = precision;
        return previous;
    }
}
