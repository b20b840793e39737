namespace Loom.Tokenizers.Processors;

/// <summary>A special token of a template: its name and the ids/tokens it expands to.</summary>
public sealed record SpecialTokenEntry(string Name, IReadOnlyList<int> Ids, IReadOnlyList<string> Tokens);
