// Contrastive search (Su et al. 2022, "A Contrastive Framework for Neural Text Generation", eq. 5) as HF
// GenerationMixin._contrastive_search and _ranking_fast (v4.44), for decoder-only models: the processed next-token
// distribution proposes its top_k tokens; all k are run through the model at once (the cache expanded to B·k rows);
// each candidate v is scored (1 − α)·p(v) − α·max_j cos(h_v, h_j), h_v its final hidden state and h_j the final
// hidden states of every earlier position of the row (prompt padding excluded); the best candidate is kept together
// with its cache row, hidden state and next-token logits, so each new token costs one k-row forward pass. Finished
// rows receive the pad token. Each chosen token is final, so the search streams (IStreamableStrategy).
using System.Diagnostics;
using Loom.Core;
using Loom.Models.Decoding;

namespace Loom.Generation;

/// <summary>HF <c>penalty_alpha</c> / <c>top_k</c> contrastive search over an <see cref="ICausalLm"/>.</summary>
public sealed class ContrastiveSearch : IStreamableStrategy
{
    private readonly ICausalLm _model;

    /// <summary>Wraps <paramref name="model"/>.</summary>
    public ContrastiveSearch(ICausalLm model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
    }

    /// <summary>
    /// Generates with <see cref="GenerationOptions.PenaltyAlpha"/> α in [0, 1] and <see cref="GenerationOptions.TopK"/>
    /// candidates per step (≥ 1); the logits processors apply, the sampling warpers do not (no sampling).
    /// </summary>
    public GenerationResult Generate(PromptBatch prompts, GenerationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        return GenerationResult.Collect(prompts.Ids, Steps(prompts, options, cancellationToken), options.OutputScores);
    }

    /// <inheritdoc/>
    public IEnumerable<GenerationStep> Steps(PromptBatch prompts, GenerationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.PenaltyAlpha >= 0 && options.PenaltyAlpha <= 1) || options.TopK < 1 || options.DoSample || options.NumBeams != 1)
        {
            throw new ArgumentException($"Contrastive search: expected penalty_alpha in [0, 1], top_k ≥ 1, no sampling and one beam; found {options.PenaltyAlpha}, {options.TopK}, do_sample {options.DoSample}, {options.NumBeams} beams.", nameof(options));
        }

        return Run(prompts, options, cancellationToken);
    }

    private IEnumerable<GenerationStep> Run(PromptBatch prompts, GenerationOptions options, CancellationToken cancellationToken)
    {
        int batch = prompts.Batch, width = prompts.Width, vocab = _model.VocabSize, k = Math.Min(options.TopK, vocab);
        var maxLength = options.MaxTotalLength(width);
        var pipeline = new LogitsPipeline(options, maxLength);
        var eos = options.EosTokenIds.ToHashSet();
        var rows = prompts.Ids.Select(r => r.ToList()).ToArray();
        var finished = new bool[batch];
        var clock = Stopwatch.StartNew();
        var session = new CausalDecodingSession(_model, options.CacheCapacity(maxLength));
        var logits = session.Prefill(prompts.Ids, prompts.Mask);
        var context = Enumerable.Range(0, batch).Select(b => HiddenRows(session.LastHiddenState!, b).Where((_, t) => prompts.Mask[b][t] != 0).ToList()).ToArray();
        while (rows[0].Count < maxLength)
        {
            var processed = logits.ToArray();
            var candidates = new int[batch * k];
            var probabilities = new double[batch * k];
            for (var b = 0; b < batch; b++)
            {
                var span = processed.AsSpan(b * vocab, vocab);
                pipeline.Apply(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows[b]), width, span);
                var p = Softmax.Compute(span);
                var top = Enumerable.Range(0, vocab).OrderByDescending(v => p[v]).ThenBy(v => v).Take(k).ToArray(); // torch.topk
                for (var j = 0; j < k; j++)
                {
                    (candidates[(b * k) + j], probabilities[(b * k) + j]) = (top[j], p[top[j]]);
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            session.Reorder([.. Enumerable.Range(0, batch * k).Select(r => r / k)]); // (B·k) rows, row b repeated k times
            var candidateLogits = session.Step(candidates); // (B·k, V)
            var candidateHidden = session.LastHiddenState!; // (B·k, 1, C)
            var selected = new int[batch];
            for (var b = 0; b < batch; b++)
            {
                var best = double.NegativeInfinity;
                for (var j = 0; j < k; j++)
                {
                    var hidden = HiddenRows(candidateHidden, (b * k) + j)[0];
                    var degeneration = context[b].Max(h => Cosine(h, hidden));
                    var score = ((1 - options.PenaltyAlpha) * probabilities[(b * k) + j]) - (options.PenaltyAlpha * degeneration);
                    if (score > best)
                    {
                        (best, selected[b]) = (score, j);
                    }
                }

                context[b].Add(HiddenRows(candidateHidden, (b * k) + selected[b])[0]);
            }

            var keep = Enumerable.Range(0, batch).Select(b => (b * k) + selected[b]).ToArray();
            session.Reorder(keep);
            logits = [.. keep.SelectMany(r => candidateLogits.AsSpan(r * vocab, vocab).ToArray())];
            var tokens = new int[batch];
            for (var b = 0; b < batch; b++)
            {
                var token = candidates[keep[b]];
                tokens[b] = finished[b] ? options.EffectivePad : token;
                rows[b].Add(tokens[b]);
                finished[b] |= eos.Contains(token) || TextGenerator.HitsStopString(rows[b], width, options);
            }

            var done = rows[0].Count >= maxLength || finished.All(f => f) || (options.MaxTime is { } limit && clock.Elapsed >= limit);
            yield return new GenerationStep(tokens, done ? [.. finished.Select(_ => true)] : [.. finished], processed);
            if (done)
            {
                yield break;
            }
        }
    }

    /// <summary>The hidden vectors (C each) of every position of batch row <paramref name="row"/> of a (B, T, C) tensor.</summary>
    private static List<float[]> HiddenRows(Tensor hidden, int row)
    {
        int t = hidden.Size(1), c = hidden.Size(2);
        var values = hidden.Narrow(0, row, 1).Contiguous().ToArray(); // (1, T, C)
        return [.. Enumerable.Range(0, t).Select(i => values.AsSpan(i * c, c).ToArray())];
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }

        return dot / (Math.Sqrt(na) * Math.Sqrt(nb));
    }
}
