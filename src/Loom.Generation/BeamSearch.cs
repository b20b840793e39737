// Beam search for decoder-only models with Hugging Face transformers 4.44 semantics (GenerationMixin._beam_search,
// BeamSearchScorer.process / finalize): log-softmax of the last logits, logits processors, plus the running beam
// score; the best 2·num_beams candidates over (beam, token); EOS candidates ranked within the first num_beams become
// finished hypotheses scored sum / generated_len ** length_penalty (generated_len excludes the prompt, includes the
// EOS); the rest fill the next beams. Beams start as num_beams copies of the prompt with scores (0, −1e9, …). The model is any
// IStepDecoder: for an encoder-decoder model the "prompt" is the decoder start token (HF decoder_prompt_len = 1) and
// the encoder runs once.
using Loom.Models.Decoding;

namespace Loom.Generation;

/// <summary>HF-compatible beam search over a decoder-only or encoder-decoder model.</summary>
public sealed class BeamSearch
{
    private readonly IStepDecoder _model;

    /// <summary>Wraps a decoder-only <paramref name="model"/>.</summary>
    public BeamSearch(ICausalLm model)
        : this(new CausalStepDecoder(model))
    {
    }

    /// <summary>Wraps any <see cref="IStepDecoder"/> (e.g. a <see cref="Seq2SeqStepDecoder"/>).</summary>
    public BeamSearch(IStepDecoder model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
    }

    /// <summary>Runs beam search over <paramref name="prompts"/>.</summary>
    public BeamSearchResult Generate(PromptBatch prompts, GenerationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        var starts = _model.StartRows(prompts);
        int nb = options.NumBeams, batch = prompts.Batch, width = starts[0].Length, vocab = _model.VocabSize;
        if (nb < 1 || options.NumReturnSequences < 1 || options.NumReturnSequences > nb)
        {
            throw new ArgumentException($"Beam search: expected num_beams ≥ 1 and 1 ≤ num_return_sequences ≤ num_beams; found {nb} and {options.NumReturnSequences}.", nameof(options));
        }

        var maxLength = options.MaxTotalLength(width);
        var pipeline = new LogitsPipeline(options, maxLength);
        var eos = options.EosTokenIds.ToHashSet();
        var pad = options.EffectivePad;
        var hypotheses = Enumerable.Range(0, batch).Select(_ => new BeamHypotheses(nb, options.LengthPenalty, options.EarlyStopping, maxLength)).ToArray();
        var done = new bool[batch];

        // (B·nb) rows: each prompt repeated num_beams times (HF _expand_inputs_for_generation).
        var rows = Enumerable.Range(0, batch * nb).Select(r => starts[r / nb].ToList()).ToArray();
        var beamIndices = Enumerable.Range(0, batch * nb).Select(_ => new List<int>()).ToArray();
        var beamScores = Enumerable.Range(0, batch * nb).Select(r => r % nb == 0 ? 0f : -1e9f).ToArray();
        var (session, logits) = _model.Begin(prompts, nb);
        var candidates = 2 * nb * Math.Max(1, eos.Count);
        while (rows[0].Count < maxLength)
        {
            var scores = new float[batch * nb * vocab];
            for (var r = 0; r < batch * nb; r++)
            {
                var span = scores.AsSpan(r * vocab, vocab);
                Softmax.Log(logits.AsSpan(r * vocab, vocab), span);
                pipeline.Apply(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows[r]), width, span);
                for (var v = 0; v < vocab; v++)
                {
                    span[v] += beamScores[r];
                }
            }

            var currentLength = rows[0].Count + 1;
            var nextTokens = new int[batch * nb];
            var nextRows = new int[batch * nb];
            var nextScores = new float[batch * nb];
            for (var b = 0; b < batch; b++)
            {
                if (done[b])
                {
                    for (var j = 0; j < nb; j++)
                    {
                        (nextTokens[(b * nb) + j], nextRows[(b * nb) + j], nextScores[(b * nb) + j]) = (pad, b * nb, 0f);
                    }

                    continue;
                }

                var top = TopCandidates(scores.AsSpan(b * nb * vocab, nb * vocab), candidates);
                var filled = 0;
                for (var rank = 0; rank < top.Length && filled < nb; rank++)
                {
                    var (flat, score) = top[rank];
                    int token = flat % vocab, source = (b * nb) + (flat / vocab);
                    if (eos.Contains(token))
                    {
                        if (rank < nb)
                        {
                            hypotheses[b].Add([.. rows[source]], score, [.. beamIndices[source], source], currentLength - width);
                        }

                        continue;
                    }

                    (nextTokens[(b * nb) + filled], nextRows[(b * nb) + filled], nextScores[(b * nb) + filled]) = (token, source, score);
                    filled++;
                }

                done[b] = hypotheses[b].IsDone(top.Max(c => c.Score), currentLength, width);
            }

            rows = [.. Enumerable.Range(0, batch * nb).Select(r => new List<int>(rows[nextRows[r]]) { nextTokens[r] })];
            beamIndices = [.. Enumerable.Range(0, batch * nb).Select(r => new List<int>(beamIndices[nextRows[r]]) { nextRows[r] })];
            beamScores = nextScores;
            if (done.All(d => d) || rows[0].Count >= maxLength)
            {
                break;
            }

            cancellationToken.ThrowIfCancellationRequested();
            session.Reorder(nextRows);
            logits = session.Step(nextTokens);
        }

        return Finalize(hypotheses, done, rows, beamIndices, beamScores, options, width, maxLength);
    }

    private static (int Flat, float Score)[] TopCandidates(ReadOnlySpan<float> scores, int count)
    {
        // torch.topk(sorted=True): descending scores; equal scores keep the lower index first.
        var indices = Enumerable.Range(0, scores.Length).ToArray();
        var copy = scores.ToArray();
        return [.. indices.OrderByDescending(i => copy[i]).ThenBy(i => i).Take(count).Select(i => (i, copy[i]))];
    }

    private static BeamSearchResult Finalize(BeamHypotheses[] hypotheses, bool[] done, List<int>[] rows, List<int>[] beamIndices,
        float[] beamScores, GenerationOptions options, int width, int maxLength)
    {
        int nb = options.NumBeams, nrs = options.NumReturnSequences, pad = options.EffectivePad;
        for (var b = 0; b < hypotheses.Length; b++)
        {
            if (done[b])
            {
                continue;
            }

            for (var j = 0; j < nb; j++)
            {
                var r = (b * nb) + j;
                hypotheses[b].Add([.. rows[r]], beamScores[r], [.. beamIndices[r]], rows[r].Count - width);
            }
        }

        var best = new List<BeamHypothesis>();
        foreach (var h in hypotheses)
        {
            // Python sorted(key=score) is stable and pop() takes the last: the best, latest-added first among ties.
            var sorted = h.Beams.Select((beam, i) => (beam, i)).OrderBy(x => x.beam.Score).ThenBy(x => x.i).Select(x => x.beam).ToList();
            for (var j = 0; j < nrs; j++)
            {
                best.Add(sorted[^1]);
                sorted.RemoveAt(sorted.Count - 1);
            }
        }

        var longest = best.Max(h => h.Tokens.Length) + 1;
        var sentMax = Math.Min(longest, maxLength);
        var eos = options.EosTokenIds.Count > 0 ? options.EosTokenIds[0] : pad;
        var sequences = new int[best.Count][];
        var indices = new int[best.Count][];
        for (var i = 0; i < best.Count; i++)
        {
            var h = best[i];
            sequences[i] = [.. h.Tokens, .. Enumerable.Repeat(pad, sentMax - h.Tokens.Length)];
            if (h.Tokens.Length < sentMax)
            {
                sequences[i][h.Tokens.Length] = eos;
            }

            indices[i] = [.. h.BeamIndices, .. Enumerable.Repeat(-1, sentMax - h.BeamIndices.Length)];
        }

        return new BeamSearchResult(sequences, [.. best.Select(h => (float)h.Score)], indices, [.. sequences.Select(s => s[width..])]);
    }
}
