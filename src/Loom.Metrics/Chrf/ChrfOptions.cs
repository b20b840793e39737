namespace Loom.Metrics.Chrf;

/// <summary>Settings of <see cref="SacreChrf"/>, named like sacrebleu's <c>CHRF(...)</c> arguments.</summary>
public sealed record ChrfOptions
{
    /// <summary>Character n-gram order (default 6).</summary>
    public int CharOrder { get; init; } = 6;

    /// <summary>Word n-gram order (0 = chrF, 2 = chrF++).</summary>
    public int WordOrder { get; init; }

    /// <summary>Recall weight β (default 2).</summary>
    public int Beta { get; init; } = 2;

    /// <summary>Lower-case inputs first.</summary>
    public bool Lowercase { get; init; }

    /// <summary>Keep whitespace inside character n-grams.</summary>
    public bool Whitespace { get; init; }

    /// <summary>chrF++.py-style ε smoothing instead of sacrebleu's effective-order averaging.</summary>
    public bool EpsSmoothing { get; init; }
}
