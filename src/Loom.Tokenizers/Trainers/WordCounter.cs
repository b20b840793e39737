// Corpus word counting as Hugging Face tokenizers' trainers feed it (Tokenizer::train_from_files): every line,
// with its line ending, goes through the normalizer and pre-tokenizer; each resulting piece is one word.
namespace Loom.Tokenizers.Trainers;

/// <summary>Counts the pre-tokenized words of a corpus with a tokenizer's normalizer and pre-tokenizer.</summary>
public static class WordCounter
{
    /// <summary>Splits text into lines that keep their "\n" (the last line may lack it).</summary>
    public static IEnumerable<string> LinesWithEndings(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int start = 0;
        while (start < text.Length)
        {
            int nl = text.IndexOf('\n', start);
            int end = nl < 0 ? text.Length : nl + 1;
            yield return text[start..end];
            start = end;
        }
    }

    /// <summary>Counts words over the given sequences (in parallel; the result does not depend on thread timing).</summary>
    public static Dictionary<string, long> Count(Tokenizer tokenizer, IEnumerable<string> sequences)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(sequences);
        var partials = new System.Collections.Concurrent.ConcurrentBag<Dictionary<string, long>>();
        Parallel.ForEach(sequences, () => new Dictionary<string, long>(StringComparer.Ordinal), (seq, _, local) =>
        {
            var pre = new PreTokenizedString(seq);
            pre.Normalize(n => tokenizer.Normalizer?.Normalize(n));
            tokenizer.PreTokenizer?.PreTokenize(pre);
            foreach (var split in pre.Splits)
            {
                string w = split.Normalized.Text;
                local[w] = local.GetValueOrDefault(w) + 1;
            }

            return local;
        }, partials.Add);
        var total = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var p in partials)
        {
            foreach (var (w, c) in p)
            {
                total[w] = total.GetValueOrDefault(w) + c;
            }
        }

        return total;
    }
}
