// Beam search for decoder-only models with Hugging Face transformers 4.44 semantics (GenerationMixin._beam_search,
// BeamSearchScorer.process / finalize): log-softmax of the last logits, logits processors, plus the running beam
// score; the best 2·num_beams candidates over (beam, token); EOS candidates ranked within the first num_beams become
// finished hypotheses scored sum / generated_len ** length_penalty (generated_len excludes the prompt, includes the
// EOS); the rest fill the next beams. Beams start as num_beams copies of the prompt with scores (0, −1e9, …). The model is any
// IStepDecoder: for an encoder-decoder model the "prompt" is the decoder start token (HF decoder_prompt_len = 1) and
// the encoder runs once.
// Two generalisations share this loop. Beam sampling (do_sample with num_beams > 1, HF _beam_search's do_sample
// branch): the sampling warpers follow the processors and the candidates are drawn (BeamCandidates.Sample) instead
// of taken best-first. Diverse beam search (num_beam_groups > 1, HF _group_beam_search and the group mode of
// BeamSearchScorer): the beams of an input form groups of num_beams / num_beam_groups, each run as a beam search of its
// own (own finished hypotheses, own done flag, scores (0, −1e9, …) per group) one group after another within a step,
// so that the Hamming diversity processor sees the tokens the earlier groups just chose; the best finished hypotheses
// of all groups of an input are returned. A beam group is the unit below: plain beam search is one group per input.
using Loom.Core;
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

    /// <summary>
    /// Runs beam search over <paramref name="prompts"/>: beam sampling when <see cref="GenerationOptions.DoSample"/>,
    /// diverse beam search when <see cref="GenerationOptions.NumBeamGroups"/> &gt; 1.
    /// </summary>
    public BeamSearchResult Generate(PromptBatch prompts, GenerationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        var starts = _model.StartRows(prompts);
        int nb = options.NumBeams, groups = options.NumBeamGroups, batch = prompts.Batch, width = starts[0].Length, vocab = _model.VocabSize;
        if (nb < 1 || options.NumReturnSequences < 1 || options.NumReturnSequences > nb)
        {
            throw new ArgumentException($"Beam search: expected num_beams ≥ 1 and 1 ≤ num_return_sequences ≤ num_beams; found {nb} and {options.NumReturnSequences}.", nameof(options));
        }

        if (groups < 1 || nb % groups != 0 || (groups > 1 && options.DoSample))
        {
            throw new ArgumentException($"Diverse beam search: expected num_beam_groups ≥ 1 dividing num_beams {nb}, and no sampling with groups; found {groups} groups, do_sample {options.DoSample}.", nameof(options));
        }

        var groupSize = nb / groups;
        var maxLength = options.MaxTotalLength(width);
        var pipeline = new LogitsPipeline(options, maxLength);
        var random = new Generator(options.Seed);
        var eos = options.EosTokenIds.ToHashSet();
        var pad = options.EffectivePad;

        // Unit u = b·groups + g (input b, group g) owns rows b·nb + g·groupSize … + groupSize − 1.
        var hypotheses = Enumerable.Range(0, batch * groups).Select(_ => new BeamHypotheses(groupSize, options.LengthPenalty, options.EarlyStopping, maxLength)).ToArray();
        var done = new bool[batch * groups];

        // (B·nb) rows: each prompt repeated num_beams times (HF _expand_inputs_for_generation).
        var rows = Enumerable.Range(0, batch * nb).Select(r => starts[r / nb].ToList()).ToArray();
        var beamIndices = Enumerable.Range(0, batch * nb).Select(_ => new List<int>()).ToArray();
        var beamScores = Enumerable.Range(0, batch * nb).Select(r => r % nb % groupSize == 0 ? 0f : -1e9f).ToArray();
        var (session, logits) = _model.Begin(prompts, nb, options.CacheCapacity(maxLength));
        var candidates = Math.Max(2, 1 + eos.Count) * groupSize;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (rows[0].Count < maxLength)
        {
            var currentLength = rows[0].Count + 1;
            var nextTokens = new int[batch * nb];
            var nextRows = new int[batch * nb];
            var nextScores = new float[batch * nb];
            for (var g = 0; g < groups; g++)
            {
                for (var b = 0; b < batch; b++)
                {
                    int unit = (b * groups) + g, first = (b * nb) + (g * groupSize);
                    if (done[unit])
                    {
                        for (var j = first; j < first + groupSize; j++)
                        {
                            (nextTokens[j], nextRows[j], nextScores[j]) = (pad, first, 0f);
                        }

                        continue;
                    }

                    pipeline.Diversity?.UseEarlierGroupTokens(nextTokens[(b * nb)..first]);
                    var top = SelectCandidates(ScoreGroup(logits, rows, beamScores, first, groupSize, vocab, width, pipeline), candidates, options.DoSample, random);
                    var filled = 0;
                    for (var rank = 0; rank < top.Length && filled < groupSize; rank++)
                    {
                        var (flat, score) = top[rank];
                        int token = flat % vocab, source = first + (flat / vocab);
                        if (eos.Contains(token))
                        {
                            if (rank < groupSize)
                            {
                                hypotheses[unit].Add([.. rows[source]], score, [.. beamIndices[source], source], currentLength - width);
                            }

                            continue;
                        }

                        (nextTokens[first + filled], nextRows[first + filled], nextScores[first + filled]) = (token, source, score);
                        filled++;
                    }

                    if (filled < groupSize)
                    {
                        throw new InvalidOperationException($"Beam search: input {b}, group {g} has only {filled} non-EOS candidates with a non-zero probability for {groupSize} beams at length {currentLength}; loosen top-k / top-p / min-p / typical-p or use fewer beams.");
                    }

                    done[unit] = hypotheses[unit].IsDone(top.Max(c => c.Score), currentLength, width);
                }
            }

            rows = [.. Enumerable.Range(0, batch * nb).Select(r => new List<int>(rows[nextRows[r]]) { nextTokens[r] })];
            beamIndices = [.. Enumerable.Range(0, batch * nb).Select(r => new List<int>(beamIndices[nextRows[r]]) { nextRows[r] })];
            beamScores = nextScores;
            if (done.All(d => d) || rows[0].Count >= maxLength || (options.MaxTime is { } limit && clock.Elapsed >= limit))
            {
                break; // HF MaxTimeCriteria: the open beams are finalised as they stand
            }

            cancellationToken.ThrowIfCancellationRequested();
            session.Reorder(nextRows);
            logits = session.Step(nextTokens);
        }

        return Finalize(hypotheses, done, rows, beamIndices, beamScores, options, width, maxLength);
    }

    /// <summary>
    /// The accumulated scores of one group's beams, (group beam, V) flattened: log_softmax(logits) → processors (and
    /// warpers when sampling) → + the beam's running score.
    /// </summary>
    private static float[] ScoreGroup(float[] logits, List<int>[] rows, float[] beamScores, int first, int groupSize, int vocab, int width, LogitsPipeline pipeline)
    {
        var scores = new float[groupSize * vocab];
        for (var j = 0; j < groupSize; j++)
        {
            var r = first + j;
            var span = scores.AsSpan(j * vocab, vocab);
            Softmax.Log(logits.AsSpan(r * vocab, vocab), span);
            pipeline.Apply(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows[r]), width, span);
            for (var v = 0; v < vocab; v++)
            {
                span[v] += beamScores[r];
            }
        }

        return scores;
    }

    private static (int Flat, float Score)[] SelectCandidates(float[] scores, int count, bool sample, Generator random) =>
        sample ? BeamCandidates.Sample(scores, count, random) : BeamCandidates.Top(scores, count);

    private static BeamSearchResult Finalize(BeamHypotheses[] hypotheses, bool[] done, List<int>[] rows, List<int>[] beamIndices,
        float[] beamScores, GenerationOptions options, int width, int maxLength)
    {
        int nb = options.NumBeams, groups = options.NumBeamGroups, groupSize = nb / groups, nrs = options.NumReturnSequences, pad = options.EffectivePad;
        for (var unit = 0; unit < hypotheses.Length; unit++)
        {
            if (done[unit])
            {
                continue;
            }

            var first = (unit / groups * nb) + (unit % groups * groupSize);
            for (var r = first; r < first + groupSize; r++)
            {
                hypotheses[unit].Add([.. rows[r]], beamScores[r], [.. beamIndices[r]], rows[r].Count - width);
            }
        }

        var best = new List<BeamHypothesis>();
        for (var b = 0; b < hypotheses.Length / groups; b++)
        {
            // Python sorted(key=score) over the groups' hypotheses in group order is stable and pop() takes the last: the
            // best, latest-added first among ties.
            var sorted = hypotheses.Skip(b * groups).Take(groups).SelectMany(h => h.Beams)
                .Select((beam, i) => (beam, i)).OrderBy(x => x.beam.Score).ThenBy(x => x.i).Select(x => x.beam).ToList();
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
