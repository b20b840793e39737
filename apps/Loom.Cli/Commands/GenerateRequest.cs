using Loom.Kernels;

namespace Loom.Cli.Commands;

/// <summary>
/// What <c>loom generate</c> was asked to load and run; <paramref name="QuantizedActivations"/> is how a GGUF model's
/// Q8_0 / Q4_0 matrices treat their inputs (<c>--quantized-activations</c>).
/// </summary>
internal sealed record GenerateRequest(string? ModelPath, string? TokenizerPath, string Prompt, ulong Seed,
    QuantizedActivations QuantizedActivations = QuantizedActivations.Float32);
