namespace Loom.Core.Autograd;

/// <summary>Per-thread switch that turns graph recording off inside <see cref="Tensor.NoGrad"/> scopes.</summary>
internal static class GradMode
{
    [ThreadStatic]
    private static int t_disabledDepth;

    public static bool IsEnabled => t_disabledDepth == 0;

    public static void Enter() => t_disabledDepth++;

    public static void Exit() => t_disabledDepth--;
}
