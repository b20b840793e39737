// Translation edit rate with Tercom's greedy block shifts (Snover et al., 2006, "A Study of Translation Edit Rate
// with Targeted Human Annotation"), following sacrebleu 2.6.0 sacrebleu/metrics/lib_ter.py: a beam-limited
// Levenshtein distance around the length-ratio diagonal, shift candidates ranked by (gain, length, earliest start,
// earliest target), at most 1000 candidates per reference. sacrebleu caches matrix rows by hypothesis prefix; all
// hypotheses it evaluates have the same length, so recomputing the rows gives identical distances and traces.
namespace Loom.Metrics.Ter;

/// <summary>Number of edits (insertions, deletions, substitutions, shifts) turning a hypothesis into a reference.</summary>
public static class TranslationEditRate
{
    private const int MaxShiftSize = 10;
    private const int MaxShiftDistance = 50;
    private const int BeamWidth = 25;
    private const int MaxShiftCandidates = 1000;
    private const long Infinity = 10_000_000_000_000_000;

    private const char OpInsert = 'i';
    private const char OpDelete = 'd';
    private const char OpMatch = ' ';
    private const char OpSubstitute = 's';
    private const char OpUndefined = 'x';

    /// <summary>Returns (number of edits, reference length) for tokenized hypothesis and reference.</summary>
    public static (int Edits, int ReferenceLength) Compute(IReadOnlyList<string> hypothesis, IReadOnlyList<string> reference)
    {
        if (reference.Count == 0)
        {
            return (hypothesis.Count, 0);
        }
        var shifts = 0;
        var words = hypothesis.ToArray();
        var checkedCandidates = 0;
        while (true)
        {
            var (delta, shifted, checkedNow) = BestShift(words, reference, checkedCandidates);
            checkedCandidates = checkedNow;
            if (checkedCandidates >= MaxShiftCandidates || delta <= 0)
            {
                break;
            }
            shifts++;
            words = shifted;
        }
        var (distance, _) = EditDistance(words, reference);
        return (shifts + distance, reference.Count);
    }

    private static (int Delta, string[] Words, int Checked) BestShift(string[] hyp, IReadOnlyList<string> reference, int checkedCandidates)
    {
        var (preScore, inverseTrace) = EditDistance(hyp, reference);
        var (align, refErr, hypErr) = TraceToAlignment(FlipTrace(inverseTrace));
        (int Gain, int Length, int StartH, int Index, string[] Words)? best = null;

        foreach (var (startH, startR, length) in ShiftedPairs(hyp, reference))
        {
            if (SumRange(hypErr, startH, length) == 0 || SumRange(refErr, startR, length) == 0)
            {
                continue;
            }
            if (startH <= align[startR] && align[startR] < startH + length)
            {
                continue;
            }
            var previousIndex = -1;
            for (var offset = -1; offset < length; offset++)
            {
                int index;
                if (startR + offset == -1)
                {
                    index = 0;
                }
                else if (align.TryGetValue(startR + offset, out var a))
                {
                    index = a + 1;
                }
                else
                {
                    break;
                }
                if (index == previousIndex)
                {
                    continue;
                }
                previousIndex = index;
                var shifted = PerformShift(hyp, startH, length, index);
                var gain = preScore - EditDistance(shifted, reference).Distance;
                checkedCandidates++;
                // Tercom ranking: highest gain, then longest, then earliest start, then earliest target.
                if (best is not { } b || gain > b.Gain
                    || (gain == b.Gain && (length > b.Length
                        || (length == b.Length && (-startH > -b.StartH
                            || (startH == b.StartH && -index > -b.Index))))))
                {
                    best = (gain, length, startH, index, shifted);
                }
            }
            if (checkedCandidates >= MaxShiftCandidates)
            {
                break;
            }
        }
        return best is { } found ? (found.Gain, found.Words, checkedCandidates) : (0, hyp, checkedCandidates);
    }

    private static int SumRange(List<int> values, int start, int length)
    {
        var sum = 0;
        for (var i = start; i < Math.Min(values.Count, start + length); i++)
        {
            sum += values[i];
        }
        return sum;
    }

    private static string[] PerformShift(string[] words, int start, int length, int target)
    {
        // Python list slices clip out-of-range bounds; Slice does the same.
        IEnumerable<string> result;
        if (target < start)
        {
            result = Slice(words, 0, target).Concat(Slice(words, start, start + length)).Concat(Slice(words, target, start))
                .Concat(Slice(words, start + length, words.Length));
        }
        else if (target > start + length)
        {
            result = Slice(words, 0, start).Concat(Slice(words, start + length, target))
                .Concat(Slice(words, start, start + length)).Concat(Slice(words, target, words.Length));
        }
        else
        {
            result = Slice(words, 0, start).Concat(Slice(words, start + length, length + target))
                .Concat(Slice(words, start, start + length)).Concat(Slice(words, length + target, words.Length));
        }
        var shifted = result.ToArray();
        if (shifted.Length != words.Length)
        {
            throw new InvalidOperationException(
                $"TER shift of {length} words from {start} to {target} changed the length {words.Length} to {shifted.Length}.");
        }
        return shifted;
    }

    private static ArraySegment<string> Slice(string[] words, int from, int to)
    {
        from = Math.Clamp(from, 0, words.Length);
        to = Math.Clamp(to, from, words.Length);
        return new ArraySegment<string>(words, from, to - from);
    }

    // Matching word runs (up to 10 words) whose starts are at most 50 positions apart.
    private static IEnumerable<(int StartH, int StartR, int Length)> ShiftedPairs(string[] hyp, IReadOnlyList<string> reference)
    {
        for (var startH = 0; startH < hyp.Length; startH++)
        {
            for (var startR = 0; startR < reference.Count; startR++)
            {
                if (Math.Abs(startR - startH) > MaxShiftDistance)
                {
                    continue;
                }
                var length = 0;
                while (hyp[startH + length] == reference[startR + length] && length < MaxShiftSize)
                {
                    length++;
                    yield return (startH, startR, length);
                    if (hyp.Length == startH + length || reference.Count == startR + length)
                    {
                        break;
                    }
                }
            }
        }
    }

    private static string FlipTrace(string trace) =>
        string.Create(trace.Length, trace, static (span, t) =>
        {
            for (var i = 0; i < t.Length; i++)
            {
                span[i] = t[i] switch { OpInsert => OpDelete, OpDelete => OpInsert, var c => c };
            }
        });

    private static (Dictionary<int, int> Align, List<int> RefErr, List<int> HypErr) TraceToAlignment(string trace)
    {
        int posHyp = -1, posRef = -1;
        var hypErr = new List<int>();
        var refErr = new List<int>();
        var align = new Dictionary<int, int>();
        foreach (var op in trace)
        {
            switch (op)
            {
                case OpMatch or OpSubstitute:
                    posHyp++;
                    posRef++;
                    align[posRef] = posHyp;
                    var error = op == OpSubstitute ? 1 : 0;
                    hypErr.Add(error);
                    refErr.Add(error);
                    break;
                case OpInsert:
                    posHyp++;
                    hypErr.Add(1);
                    break;
                case OpDelete:
                    posRef++;
                    align[posRef] = posHyp;
                    refErr.Add(1);
                    break;
                default:
                    throw new InvalidOperationException($"TER trace: unknown edit operation '{op}'.");
            }
        }
        return (align, refErr, hypErr);
    }

    // Beam-limited Levenshtein distance (hypothesis rows, reference columns) and its edit trace.
    private static (int Distance, string Trace) EditDistance(string[] hyp, IReadOnlyList<string> reference)
    {
        var nH = hyp.Length;
        var nR = reference.Count;
        var cost = new long[nH + 1, nR + 1];
        var ops = new char[nH + 1, nR + 1];
        for (var j = 0; j <= nR; j++)
        {
            cost[0, j] = j;
            ops[0, j] = OpInsert;
        }
        for (var i = 1; i <= nH; i++)
        {
            for (var j = 0; j <= nR; j++)
            {
                cost[i, j] = Infinity;
                ops[i, j] = OpUndefined;
            }
        }
        var lengthRatio = nH > 0 ? (double)nR / nH : 1.0;
        var beam = BeamWidth < lengthRatio / 2 ? (int)Math.Ceiling(lengthRatio / 2 + BeamWidth) : BeamWidth;
        for (var i = 1; i <= nH; i++)
        {
            var diagonal = (int)Math.Floor(i * lengthRatio);
            var minJ = Math.Max(0, diagonal - beam);
            var maxJ = i == nH ? nR + 1 : Math.Min(nR + 1, diagonal + beam);
            for (var j = minJ; j < maxJ; j++)
            {
                if (j == 0)
                {
                    cost[i, 0] = cost[i - 1, 0] + 1;
                    ops[i, 0] = OpDelete;
                    continue;
                }
                var same = hyp[i - 1] == reference[j - 1];
                // Preference on ties: match/substitution, then deletion, then insertion (strictly-better updates).
                Relax(cost, ops, i, j, cost[i - 1, j - 1] + (same ? 0 : 1), same ? OpMatch : OpSubstitute);
                Relax(cost, ops, i, j, cost[i - 1, j] + 1, OpDelete);
                Relax(cost, ops, i, j, cost[i, j - 1] + 1, OpInsert);
            }
        }

        var trace = new List<char>();
        int r = nH, c = nR;
        while (r > 0 || c > 0)
        {
            var op = ops[r, c];
            trace.Add(op);
            switch (op)
            {
                case OpMatch or OpSubstitute:
                    r--;
                    c--;
                    break;
                case OpInsert:
                    c--;
                    break;
                case OpDelete:
                    r--;
                    break;
                default:
                    throw new InvalidOperationException($"TER edit distance: unreachable cell ({r}, {c}) on the trace.");
            }
        }
        trace.Reverse();
        return ((int)cost[nH, nR], new string([.. trace]));
    }

    private static void Relax(long[,] cost, char[,] ops, int i, int j, long candidate, char op)
    {
        if (cost[i, j] > candidate)
        {
            cost[i, j] = candidate;
            ops[i, j] = op;
        }
    }
}
