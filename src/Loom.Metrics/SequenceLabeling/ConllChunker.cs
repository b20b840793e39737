// Tjong Kim Sang & Buchholz, "Introduction to the CoNLL-2000 Shared Task: Chunking" (conlleval); reference
// implementation followed: seqeval 1.2.2 seqeval/metrics/sequence_labeling.py (get_entities).
namespace Loom.Metrics.SequenceLabeling;

/// <summary>
/// seqeval's default, conlleval-compatible chunking (<c>seqeval/metrics/sequence_labeling.py</c>:
/// <c>get_entities</c>, <c>start_of_chunk</c>, <c>end_of_chunk</c>, after the CoNLL-2000 <c>conlleval</c> script).
/// Lenient: an <c>I-</c> without a preceding <c>B-</c> starts a chunk, and so does any change of type.
/// </summary>
public static class ConllChunker
{
    /// <summary>
    /// Chunks of all sentences, concatenated with an <c>O</c> after each one (so positions count those separators);
    /// <see cref="LabeledEntity.End"/> is inclusive. With <paramref name="suffix"/> the tag letter is the last
    /// character (<c>PER-B</c>) instead of the first.
    /// </summary>
    public static List<LabeledEntity> GetEntities(IReadOnlyList<IReadOnlyList<string>> sentences, bool suffix = false)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        var sequence = new List<string>();
        foreach (var sentence in sentences)
        {
            sequence.AddRange(sentence);
            sequence.Add("O");
        }

        sequence.Add("O");
        var chunks = new List<LabeledEntity>();
        var previousTag = 'O';
        var previousType = "";
        var begin = 0;
        for (var i = 0; i < sequence.Count; i++)
        {
            var (tag, type) = Split(sequence[i], suffix, i);
            if (EndOfChunk(previousTag, tag, previousType, type))
            {
                chunks.Add(new LabeledEntity(0, previousType, begin, i - 1));
            }

            if (StartOfChunk(previousTag, tag, previousType, type))
            {
                begin = i;
            }

            previousTag = tag;
            previousType = type;
        }

        return chunks;
    }

    private static (char Tag, string Type) Split(string chunk, bool suffix, int position)
    {
        if (chunk.Length == 0)
        {
            throw new MetricException($"Empty tag at position {position}: expected a tag such as 'B-PER' or 'O' (seqeval raises IndexError).");
        }

        if (suffix)
        {
            var body = chunk[..^1];
            var dash = body.LastIndexOf('-');
            var type = dash >= 0 ? body[..dash] : body;
            return (chunk[^1], type.Length > 0 ? type : "_");
        }
        else
        {
            var body = chunk[1..];
            var dash = body.IndexOf('-', StringComparison.Ordinal);
            var type = dash >= 0 ? body[(dash + 1)..] : body;
            return (chunk[0], type.Length > 0 ? type : "_");
        }
    }

    private static bool EndOfChunk(char previousTag, char tag, string previousType, string type) =>
        previousTag is 'E' or 'S'
        || (previousTag is 'B' or 'I' && tag is 'B' or 'S' or 'O')
        || (previousTag != 'O' && previousTag != '.' && previousType != type);

    private static bool StartOfChunk(char previousTag, char tag, string previousType, string type) =>
        tag is 'B' or 'S'
        || (previousTag is 'E' or 'S' or 'O' && tag is 'E' or 'I')
        || (tag != 'O' && tag != '.' && previousType != type);
}
