namespace Loom.Tokenizers;

/// <summary>Truncation settings: maximum length (special tokens included), strategy, stride of overflowing windows, direction.</summary>
public sealed record TruncationOptions(int MaxLength, TruncationStrategy Strategy = TruncationStrategy.LongestFirst, int Stride = 0,
    TruncationDirection Direction = TruncationDirection.Right);
