namespace Loom.Cli.Commands;

/// <summary>What <c>loom generate</c> was asked to load and run.</summary>
internal sealed record GenerateRequest(string? ModelPath, string? TokenizerPath, string Prompt, ulong Seed);
