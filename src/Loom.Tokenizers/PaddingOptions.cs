namespace Loom.Tokenizers;

/// <summary>Padding settings (Hugging Face <c>PaddingParams</c>).</summary>
public sealed record PaddingOptions
{
    /// <summary>Longest-in-batch or fixed.</summary>
    public PaddingStrategy Strategy { get; init; } = PaddingStrategy.BatchLongest;

    /// <summary>Target length for <see cref="PaddingStrategy.Fixed"/>.</summary>
    public int FixedLength { get; init; }

    /// <summary>Side on which pad tokens go.</summary>
    public TruncationDirection Direction { get; init; } = TruncationDirection.Right;

    /// <summary>Round the target length up to a multiple of this (0 or null: off).</summary>
    public int? PadToMultipleOf { get; init; }

    /// <summary>Id of the pad token.</summary>
    public int PadId { get; init; }

    /// <summary>Type id given to pad positions.</summary>
    public int PadTypeId { get; init; }

    /// <summary>String of the pad token.</summary>
    public string PadToken { get; init; } = "[PAD]";
}
