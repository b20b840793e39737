namespace Loom.Generation;

/// <summary>
/// The output of greedy or sampled generation, as HF generate(return_dict_in_generate=True, output_scores=True):
/// <see cref="Sequences"/> (prompt + generated, rows padded with the pad id after they finish), the generated part
/// alone, and the processed scores of every step (each B·V).
/// </summary>
public sealed record GenerationResult(int[][] Sequences, int[][] GeneratedOnly, IReadOnlyList<float[]> Scores);
