namespace Loom.Core;

/// <summary>How a per-element loss is reduced (torch's <c>reduction=</c>).</summary>
public enum Reduction
{
    /// <summary>Mean over the non-ignored elements.</summary>
    Mean,

    /// <summary>Sum over all elements.</summary>
    Sum,

    /// <summary>No reduction: one loss per element (0 at ignored positions).</summary>
    None,
}
