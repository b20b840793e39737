namespace Loom.Training;

/// <summary>One line of the JSONL training log: a training step or an evaluation.</summary>
/// <param name="Kind">"train" or "eval".</param>
/// <param name="Step">The optimizer step.</param>
/// <param name="Values">The numbers of the line ("loss", "lr", "grad_norm", "tokens_per_second", "elapsed_s"; metric names for an evaluation).</param>
public sealed record LogRecord(string Kind, int Step, IReadOnlyDictionary<string, double> Values);
