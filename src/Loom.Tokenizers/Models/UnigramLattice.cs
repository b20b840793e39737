// The segmentation lattice of the Unigram model (Kudo 2018, "Subword Regularization"; google/sentencepiece
// unigram_model.cc Lattice, Hugging Face tokenizers models/unigram/lattice.rs): one node per vocabulary piece that
// matches at a position (plus an unknown node for a character no single piece covers), between a BOS node ending at
// 0 and an EOS node beginning at the end. On it: Viterbi (best path), forward-backward marginals (the trainer's
// E-step), k-best paths by A* search over exact Viterbi prefix scores (best first), and forward-filtering
// backward-sampling of a whole path with probability proportional to exp(theta * path score).
// Every node beginning at a position sees the same left context, so the forward quantities (best prefix score,
// log-mass) are computed once per position rather than once per node pair (same values, one pass over the edges
// fewer); nodes are stored flat, grouped by start and by end in index arrays.
namespace Loom.Tokenizers.Models;

/// <summary>A segmentation lattice over a string (positions are UTF-16 indices at code-point boundaries).</summary>
internal sealed class UnigramLattice
{
    private const int MaxAgenda = 100_000;
    private const int AgendaKeep = 1_000;

    private readonly List<(int Id, int Start, int End, double Score)> _nodes = [];

    // Nodes beginning at pos: _beginNodes[_beginFirst[pos] .. _beginFirst[pos + 1]); likewise for ends.
    private int[] _beginFirst = [];
    private int[] _beginNodes = [];
    private int[] _endFirst = [];
    private int[] _endNodes = [];

    private UnigramLattice(int length)
    {
        Length = length;
        Bos = 0;
        _nodes.Add((-1, 0, 0, 0));
    }

    /// <summary>Length of the text (UTF-16 units).</summary>
    public int Length { get; }

    /// <summary>Index of the BOS node.</summary>
    public int Bos { get; }

    /// <summary>Index of the EOS node.</summary>
    public int Eos { get; private set; }

    /// <summary>Number of nodes, BOS and EOS included.</summary>
    public int NodeCount => _nodes.Count;

    /// <summary>A node: vocabulary id (-1 for BOS/EOS), UTF-16 range, score.</summary>
    public (int Id, int Start, int End, double Score) this[int node] => _nodes[node];

    private ReadOnlySpan<int> BeginningAt(int pos) => _beginNodes.AsSpan(_beginFirst[pos], _beginFirst[pos + 1] - _beginFirst[pos]);

    private ReadOnlySpan<int> EndingAt(int pos) => _endNodes.AsSpan(_endFirst[pos], _endFirst[pos + 1] - _endFirst[pos]);

    /// <summary>
    /// Builds the lattice of <paramref name="text"/>: every piece of <paramref name="trie"/> matching at a code-point
    /// boundary, with <paramref name="scoreOf"/>(id); where no piece covers exactly one code point, an
    /// <paramref name="unkId"/> node of <paramref name="unkScore"/> covers it (null unkId: throw).
    /// </summary>
    public static UnigramLattice Build(string text, CharTrie trie, Func<int, double> scoreOf, int? unkId, double unkScore)
    {
        var lattice = new UnigramLattice(text.Length);
        var matches = new List<(int Length, int Value)>();
        for (int start = 0; start < text.Length;)
        {
            Utf16.CodePointAt(text, start, out int charLength);
            matches.Clear();
            trie.CommonPrefixes(text, start, matches);
            bool hasSingle = false;
            foreach (var (length, id) in matches)
            {
                int end = start + length;
                if (end < text.Length && char.IsLowSurrogate(text[end]) && char.IsHighSurrogate(text[end - 1]))
                {
                    continue; // Would end inside a surrogate pair.
                }

                lattice._nodes.Add((id, start, end, scoreOf(id)));
                hasSingle |= length == charLength;
            }

            if (!hasSingle)
            {
                int unk = unkId ?? throw new TokenizerException($"Unigram: '{text.Substring(start, charLength)}' needs the unknown piece but the model has no unk_id.");
                lattice._nodes.Add((unk, start, start + charLength, unkScore));
            }

            start += charLength;
        }

        lattice.Index();
        return lattice;
    }

    /// <summary>Adds EOS and groups the nodes by start (BOS excluded) and by end (EOS excluded), keeping insertion order.</summary>
    private void Index()
    {
        Eos = _nodes.Count;
        _nodes.Add((-1, Length, Length, 0));
        int count = _nodes.Count;
        _beginFirst = new int[Length + 2];
        _endFirst = new int[Length + 2];
        for (int i = 0; i < count; i++)
        {
            if (i != Bos)
            {
                _beginFirst[_nodes[i].Start + 1]++;
            }

            if (i != Eos)
            {
                _endFirst[_nodes[i].End + 1]++;
            }
        }

        for (int pos = 0; pos <= Length; pos++)
        {
            _beginFirst[pos + 1] += _beginFirst[pos];
            _endFirst[pos + 1] += _endFirst[pos];
        }

        _beginNodes = new int[count - 1];
        _endNodes = new int[count - 1];
        var beginFill = (int[])_beginFirst.Clone();
        var endFill = (int[])_endFirst.Clone();
        for (int i = 0; i < count; i++)
        {
            if (i != Bos)
            {
                _beginNodes[beginFill[_nodes[i].Start]++] = i;
            }

            if (i != Eos)
            {
                _endNodes[endFill[_nodes[i].End]++] = i;
            }
        }
    }

    /// <summary>For every node, the best score of a path from BOS up to and including it (ties: the first node ending before it).</summary>
    private double[] ForwardBest(int[]? back)
    {
        var best = new double[_nodes.Count];
        for (int pos = 0; pos <= Length; pos++)
        {
            var ending = EndingAt(pos);
            var beginning = BeginningAt(pos);
            if (beginning.IsEmpty || ending.IsEmpty)
            {
                continue;
            }

            double top = double.NegativeInfinity;
            int arg = -1;
            foreach (int l in ending)
            {
                if (arg < 0 || best[l] > top)
                {
                    top = best[l];
                    arg = l;
                }
            }

            foreach (int r in beginning)
            {
                best[r] = top + _nodes[r].Score;
                if (back is not null)
                {
                    back[r] = arg;
                }
            }
        }

        return best;
    }

    /// <summary>The best path (node indices, BOS/EOS excluded) and its score.</summary>
    public (int[] Path, double Score) Viterbi()
    {
        var back = new int[_nodes.Count];
        var best = ForwardBest(back);
        var path = new List<int>();
        for (int node = back[Eos]; node != Bos; node = back[node])
        {
            path.Add(node);
        }

        path.Reverse();
        return ([.. path], best[Eos]);
    }

    /// <summary>
    /// Up to <paramref name="n"/> best paths, best first, with their scores (A* from EOS with the exact Viterbi
    /// prefix score as heuristic; equal scores keep the order in which the search found them).
    /// </summary>
    public List<(int[] Path, double Score)> NBest(int n)
    {
        var results = new List<(int[], double)>();
        if (n <= 0)
        {
            return results;
        }

        var best = ForwardBest(null);
        var hyps = new List<(int Node, int Next, double Gx)>();
        var agenda = new PriorityQueue<int, (double NegFx, long Order)>();
        long order = 0;
        hyps.Add((Eos, -1, 0));
        agenda.Enqueue(0, (-best[Eos], order++));
        while (agenda.TryDequeue(out int h, out var priority))
        {
            var (node, _, gx) = hyps[h];
            if (node == Bos)
            {
                var path = new List<int>();
                for (int k = hyps[h].Next; k >= 0 && hyps[k].Node != Eos; k = hyps[k].Next)
                {
                    path.Add(hyps[k].Node);
                }

                results.Add(([.. path], -priority.NegFx));
                if (results.Count == n)
                {
                    break;
                }

                continue;
            }

            double g = gx + _nodes[node].Score;
            foreach (int l in EndingAt(_nodes[node].Start))
            {
                hyps.Add((l, h, g));
                agenda.Enqueue(hyps.Count - 1, (-(best[l] + g), order++));
            }

            if (agenda.Count > MaxAgenda)
            {
                // Keep the most promising hypotheses only (as sentencepiece does), preserving their order.
                var kept = new List<(int, (double, long))>();
                while (kept.Count < AgendaKeep && agenda.TryDequeue(out int k, out var p))
                {
                    kept.Add((k, p));
                }

                agenda.Clear();
                agenda.EnqueueRange(kept);
            }
        }

        return results;
    }

    /// <summary>Per node, log Σ over paths from BOS to the node's start of exp(θ · path score) (the node itself excluded).</summary>
    private double[] ForwardLogMass(double theta)
    {
        var alpha = new double[_nodes.Count];
        for (int pos = 0; pos <= Length; pos++)
        {
            var beginning = BeginningAt(pos);
            if (beginning.IsEmpty)
            {
                continue;
            }

            double acc = double.NegativeInfinity;
            foreach (int l in EndingAt(pos))
            {
                acc = LogAdd(acc, alpha[l] + (theta * _nodes[l].Score));
            }

            foreach (int r in beginning)
            {
                alpha[r] = acc;
            }
        }

        return alpha;
    }

    private static double LogAdd(double a, double b)
    {
        if (double.IsNegativeInfinity(a))
        {
            return b;
        }

        if (double.IsNegativeInfinity(b))
        {
            return a;
        }

        return a > b ? a + Math.Log(1 + Math.Exp(b - a)) : b + Math.Log(1 + Math.Exp(a - b));
    }

    /// <summary>
    /// Forward-backward: adds <paramref name="freq"/> × P(node on the path) to <paramref name="expected"/>[id] for every
    /// piece node and returns log Z, the log of the summed exp(path score) over all paths.
    /// </summary>
    public double AccumulateMarginals(double freq, double[] expected)
    {
        var alpha = ForwardLogMass(1.0);
        var beta = new double[_nodes.Count];
        for (int pos = Length; pos >= 0; pos--)
        {
            var ending = EndingAt(pos);
            if (ending.IsEmpty)
            {
                continue;
            }

            double acc = double.NegativeInfinity;
            foreach (int r in BeginningAt(pos))
            {
                acc = LogAdd(acc, beta[r] + _nodes[r].Score);
            }

            foreach (int l in ending)
            {
                beta[l] = acc;
            }
        }

        double z = alpha[Eos];
        for (int i = 0; i < _nodes.Count; i++)
        {
            var (id, _, _, score) = _nodes[i];
            if (id >= 0)
            {
                expected[id] += freq * Math.Exp(alpha[i] + score + beta[i] - z);
            }
        }

        return z;
    }

    /// <summary>One path drawn with probability exp(θ·score) / Σ over all paths (forward filtering, backward sampling).</summary>
    public int[] Sample(double theta, Random random)
    {
        var alpha = ForwardLogMass(theta);
        var path = new List<int>();
        int node = Eos;
        while (true)
        {
            var candidates = EndingAt(_nodes[node].Start);
            double u = random.NextDouble();
            double cumulative = 0;
            int chosen = candidates[^1];
            foreach (int l in candidates)
            {
                cumulative += Math.Exp(alpha[l] + (theta * _nodes[l].Score) - alpha[node]);
                if (u < cumulative)
                {
                    chosen = l;
                    break;
                }
            }

            if (chosen == Bos)
            {
                break;
            }

            path.Add(chosen);
            node = chosen;
        }

        path.Reverse();
        return [.. path];
    }
}
