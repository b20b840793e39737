namespace Loom.Generation;

/// <summary>
/// HF beam search output (generate(num_beams&gt;1, return_dict_in_generate=True, output_scores=True)):
/// <see cref="Sequences"/> (B·num_return_sequences rows, best first per input, prompt included, padded with the pad id
/// and closed by EOS when shorter than the longest), <see cref="SequencesScores"/> and <see cref="BeamIndices"/>
/// (global beam row per generated step, −1 past the end).
/// </summary>
public sealed record BeamSearchResult(int[][] Sequences, float[] SequencesScores, int[][] BeamIndices, int[][] GeneratedOnly);
