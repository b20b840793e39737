// TER (Snover et al., 2006) exactly as sacrebleu 2.6.0 computes it. Reference: sacrebleu/metrics/ter.py: per
// segment the fewest edits over the references and the AVERAGE reference length; corpus TER = total edits /
// total average length (1 when references are empty and edits exist, 0 when both are empty). Note that sacrebleu
// runs references through the tokenizer twice (`_cache_references` then `_extract_reference_info`); we do too.
using Loom.Metrics.Bleu;
using Loom.Metrics.Text;

namespace Loom.Metrics.Ter;

/// <summary>sacrebleu-compatible corpus and sentence TER.</summary>
public sealed class SacreTer(TerOptions? options = null)
{
    private readonly TerOptions _options = options ?? new TerOptions();
    private readonly TercomTokenizer _tokenizer = new(options ?? new TerOptions());

    /// <summary>Sentence TER of one hypothesis against its references.</summary>
    public TerScore SentenceScore(string hypothesis, IReadOnlyList<string> references) =>
        CorpusScore([hypothesis], ReferenceStreams.ForSentence(references));

    /// <summary>Corpus TER; <paramref name="referenceStreams"/>[k][i] is the k-th reference of segment i (null: none).</summary>
    public TerScore CorpusScore(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string?>> referenceStreams)
    {
        var (bySegment, numRefs) = ReferenceStreams.BySegment(hypotheses.Count, referenceStreams);
        long totalEdits = 0;
        var sumRefLengths = 0.0;
        for (var i = 0; i < hypotheses.Count; i++)
        {
            var hypWords = PyText.Split(Preprocess(hypotheses[i]));
            var best = long.MaxValue;
            long refLengths = 0;
            foreach (var reference in bySegment[i])
            {
                var refWords = PyText.Split(Preprocess(Preprocess(reference)));
                var (edits, length) = TranslationEditRate.Compute(hypWords, refWords);
                refLengths += length;
                best = Math.Min(best, edits);
            }
            totalEdits += best;
            sumRefLengths += (double)refLengths / bySegment[i].Count;
        }
        var score = sumRefLengths > 0 ? totalEdits / sumRefLengths : totalEdits > 0 ? 1.0 : 0.0;
        var signature = new SacreSignature(numRefs)
            .Add("case", "c", _options.CaseSensitive ? "mixed" : "lc")
            .Add("tok", "t", TercomTokenizer.Name)
            .Add("norm", "nr", SacreSignature.YesNo(_options.Normalized))
            .Add("punct", "pn", SacreSignature.YesNo(!_options.NoPunct))
            .Add("asian", "as", SacreSignature.YesNo(_options.AsianSupport));
        return new TerScore(100 * score, totalEdits, sumRefLengths, signature);
    }

    private string Preprocess(string segment) => _tokenizer.Tokenize(PyText.RStrip(segment));
}
