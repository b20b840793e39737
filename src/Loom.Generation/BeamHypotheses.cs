// The finished-hypothesis list of one input in HF beam search (generation/beam_search.py BeamHypotheses, v4.44):
// at most num_beams hypotheses scored sum_logprobs / generated_len ** length_penalty, the worst one evicted when a
// better one arrives, and the three early_stopping rules of is_done.
namespace Loom.Generation;

/// <summary>The best finished hypotheses of one input.</summary>
internal sealed class BeamHypotheses(int numBeams, float lengthPenalty, EarlyStopping earlyStopping, int maxLength)
{
    private readonly List<BeamHypothesis> _beams = [];
    private double _worstScore = 1e9;

    public int Count => _beams.Count;

    /// <summary>The hypotheses in insertion order.</summary>
    public IReadOnlyList<BeamHypothesis> Beams => _beams;

    /// <summary>Offers a hypothesis whose tokens sum to <paramref name="sumLogProbs"/> over <paramref name="generatedLength"/> new tokens.</summary>
    public void Add(int[] tokens, double sumLogProbs, int[] beamIndices, int generatedLength)
    {
        var score = sumLogProbs / Math.Pow(generatedLength, lengthPenalty);
        if (_beams.Count < numBeams || score > _worstScore)
        {
            _beams.Add(new BeamHypothesis(score, tokens, beamIndices));
            if (_beams.Count > numBeams)
            {
                // Python: sorted((s, idx)) — ties broken by the lower index.
                var order = Enumerable.Range(0, _beams.Count).OrderBy(i => _beams[i].Score).ThenBy(i => i).ToArray();
                _worstScore = _beams[order[1]].Score;
                _beams.RemoveAt(order[0]);
            }
            else
            {
                _worstScore = Math.Min(score, _worstScore);
            }
        }
    }

    /// <summary>HF is_done(best_sum_logprobs, cur_len, decoder_prompt_len).</summary>
    public bool IsDone(double bestSumLogProbs, int currentLength, int promptLength)
    {
        if (_beams.Count < numBeams)
        {
            return false;
        }

        switch (earlyStopping)
        {
            case EarlyStopping.Always:
                return true;
            case EarlyStopping.Heuristic:
                return _worstScore >= bestSumLogProbs / Math.Pow(currentLength - promptLength, lengthPenalty);
            default:
                var length = lengthPenalty > 0 ? maxLength - promptLength : currentLength - promptLength;
                return _worstScore >= bestSumLogProbs / Math.Pow(length, lengthPenalty);
        }
    }
}
