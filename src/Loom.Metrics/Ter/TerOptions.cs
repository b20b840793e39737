namespace Loom.Metrics.Ter;

/// <summary>Settings of <see cref="SacreTer"/>, named like sacrebleu's <c>TER(...)</c> arguments.</summary>
public sealed record TerOptions
{
    /// <summary>Tercom normalisation: XML entities, line joins, punctuation splitting.</summary>
    public bool Normalized { get; init; }

    /// <summary>Remove punctuation <c>. , ? : ; ! " ( )</c> (and CJK punctuation with <see cref="AsianSupport"/>).</summary>
    public bool NoPunct { get; init; }

    /// <summary>Split CJK characters (with <see cref="Normalized"/>) and remove CJK punctuation (with <see cref="NoPunct"/>).</summary>
    public bool AsianSupport { get; init; }

    /// <summary>Keep case (default: TER is case-insensitive).</summary>
    public bool CaseSensitive { get; init; }
}
