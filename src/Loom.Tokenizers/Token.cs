namespace Loom.Tokenizers;

/// <summary>A token produced by a model: id, string value and [Start, End) offsets in UTF-16 units of the model's input.</summary>
public readonly record struct Token(int Id, string Value, int Start, int End);
