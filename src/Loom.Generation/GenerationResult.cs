namespace Loom.Generation;

/// <summary>
/// The output of greedy or sampled generation, as HF generate(return_dict_in_generate=True, output_scores=True):
/// <see cref="Sequences"/> (prompt + generated, rows padded with the pad id after they finish), the generated part
/// alone, and the processed scores of every step (each B·V; empty unless <see cref="GenerationOptions.OutputScores"/>).
/// </summary>
public sealed record GenerationResult(int[][] Sequences, int[][] GeneratedOnly, IReadOnlyList<float[]> Scores)
{
    /// <summary>
    /// Runs <paramref name="steps"/> to the end, appending each step's tokens to copies of <paramref name="starts"/>, and
    /// keeps a copy of every step's scores when <paramref name="keepScores"/> (else <see cref="Scores"/> is empty).
    /// </summary>
    internal static GenerationResult Collect(int[][] starts, IEnumerable<GenerationStep> steps, bool keepScores)
    {
        var rows = starts.Select(r => r.ToList()).ToArray();
        var scores = new List<float[]>();
        foreach (var step in steps)
        {
            for (var row = 0; row < rows.Length; row++)
            {
                rows[row].Add(step.Tokens[row]);
            }

            if (keepScores)
            {
                scores.Add(step.Scores.ToArray());
            }
        }

        return new GenerationResult([.. rows.Select(r => r.ToArray())], [.. rows.Select(r => r.Skip(starts[0].Length).ToArray())], scores);
    }
}
