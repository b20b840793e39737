// Reference layout shared by sacrebleu metrics. Reference: sacrebleu 2.6.0 sacrebleu/metrics/base.py
// (`_cache_references`): references are STREAMS (stream k holds the k-th reference of every segment); a null
// entry means "this segment has no k-th reference"; the signature says nrefs:var when the count varies.
namespace Loom.Metrics.Bleu;

/// <summary>Regroups sacrebleu reference streams into per-segment reference lists.</summary>
public static class ReferenceStreams
{
    /// <summary>Returns, for each of <paramref name="segmentCount"/> segments, its non-null references, and the
    /// signature's reference count (a number, or <c>var</c>).</summary>
    /// <exception cref="MetricException">Streams of the wrong length, or a segment with no reference.</exception>
    public static (List<List<string>> BySegment, string NumRefs) BySegment(
        int segmentCount, IReadOnlyList<IReadOnlyList<string?>> streams)
    {
        if (segmentCount == 0)
        {
            // sacrebleu indexes hyps[0] and raises IndexError on an empty corpus.
            throw new MetricException("Expected at least one hypothesis, found an empty corpus.");
        }
        if (streams.Count == 0)
        {
            throw new MetricException("Expected at least one reference stream, found none.");
        }
        for (var k = 0; k < streams.Count; k++)
        {
            if (streams[k].Count != segmentCount)
            {
                throw new MetricException(
                    $"Reference stream {k} has {streams[k].Count} lines, expected {segmentCount} (one per hypothesis).");
            }
        }
        var bySegment = new List<List<string>>(segmentCount);
        var counts = new HashSet<int>();
        for (var i = 0; i < segmentCount; i++)
        {
            var refs = new List<string>();
            foreach (var stream in streams)
            {
                if (stream[i] is { } line)
                {
                    refs.Add(line);
                }
            }
            if (refs.Count == 0)
            {
                throw new MetricException($"Segment {i} has no reference (all streams are null there).");
            }
            counts.Add(refs.Count);
            bySegment.Add(refs);
        }
        var numRefs = counts.Count == 1 ? counts.First().ToString(System.Globalization.CultureInfo.InvariantCulture) : "var";
        return (bySegment, numRefs);
    }

    /// <summary>The stream layout for one sentence: each reference becomes a one-line stream.</summary>
    public static IReadOnlyList<IReadOnlyList<string?>> ForSentence(IReadOnlyList<string> references) =>
        references.Select(r => (IReadOnlyList<string?>)[r]).ToList();
}
