// How beam search picks the candidate (beam, token) pairs of one beam group from its accumulated scores, flattened
// over (beam, token) as HF views them (batch, group_size · V): torch.topk for beam search, and for beam sampling
// (HF _beam_search with do_sample=True, v4.44) torch.multinomial without replacement over softmax of the scores,
// the drawn candidates then sorted by score, best first.
using Loom.Core;

namespace Loom.Generation;

/// <summary>Candidate selection for beam search and beam sampling.</summary>
internal static class BeamCandidates
{
    /// <summary>The <paramref name="count"/> best scores, descending; equal scores keep the lower flat index first.</summary>
    public static (int Flat, float Score)[] Top(float[] scores, int count) =>
        [.. Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(count).Select(i => (i, scores[i]))];

    /// <summary>
    /// <paramref name="count"/> distinct candidates drawn one after another with probability proportional to
    /// softmax(<paramref name="scores"/>) among those not drawn yet, sorted by score descending (ties in draw order).
    /// Fewer come back when fewer have a non-zero probability.
    /// </summary>
    public static (int Flat, float Score)[] Sample(float[] scores, int count, Generator random)
    {
        var probabilities = Softmax.Compute(scores);
        var drawn = new List<int>(count);
        var remaining = probabilities.Sum();
        while (drawn.Count < count && remaining > 0)
        {
            var coin = random.NextDouble() * remaining;
            var cumulative = 0.0;
            var pick = -1;
            for (var i = 0; i < probabilities.Length; i++)
            {
                if (probabilities[i] <= 0)
                {
                    continue;
                }

                pick = i;
                cumulative += probabilities[i];
                if (coin < cumulative)
                {
                    break;
                }
            }

            drawn.Add(pick);
            remaining -= probabilities[pick];
            probabilities[pick] = 0;
            if (drawn.Count < count && !probabilities.Any(p => p > 0))
            {
                break;
            }
        }

        return [.. drawn.Select((flat, order) => (flat, order)).OrderByDescending(c => scores[c.flat]).ThenBy(c => c.order).Select(c => (c.flat, scores[c.flat]))];
    }
}
