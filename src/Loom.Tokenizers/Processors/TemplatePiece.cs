namespace Loom.Tokenizers.Processors;

/// <summary>One piece of a template: a sequence (A = 0, B = 1) or a special token, with its type id.</summary>
public sealed record TemplatePiece(bool IsSequence, int SequenceIndex, string? SpecialToken, int TypeId);
