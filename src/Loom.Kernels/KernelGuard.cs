namespace Loom.Kernels;

/// <summary>Argument checks shared by the span kernels; messages say what was expected and what was found.</summary>
internal static class KernelGuard
{
    public static void Length(int expected, int found, string name)
    {
        if (found != expected)
        {
            throw new ArgumentException($"Span '{name}' must have length {expected}; found {found}.", name);
        }
    }

    public static void AtLeast(int expected, int found, string name)
    {
        if (found < expected)
        {
            throw new ArgumentException($"Span '{name}' must have at least {expected} elements; found {found}.", name);
        }
    }
}
