// Reader for line-aligned parallel text (multi30k/dataset: train.en + train.de, one sentence per line).
namespace Loom.Training.Data;

/// <summary>Reads two line-aligned files as sentence pairs.</summary>
public static class ParallelTextReader
{
    /// <summary>Pairs line i of <paramref name="sourcePath"/> with line i of <paramref name="targetPath"/>; different line counts throw.</summary>
    public static IEnumerable<SentencePair> Read(string sourcePath, string targetPath)
    {
        ArgumentNullException.ThrowIfNull(sourcePath);
        ArgumentNullException.ThrowIfNull(targetPath);
        using var source = File.ReadLines(sourcePath).GetEnumerator();
        using var target = File.ReadLines(targetPath).GetEnumerator();
        long line = 0;
        while (true)
        {
            var hasSource = source.MoveNext();
            var hasTarget = target.MoveNext();
            line++;
            if (hasSource != hasTarget)
            {
                var (shorter, longer) = hasSource ? (targetPath, sourcePath) : (sourcePath, targetPath);
                throw new DataFormatException(shorter, line, $"as many lines as {longer}", $"end of file at line {line}");
            }

            if (!hasSource)
            {
                yield break;
            }

            yield return new SentencePair(source.Current, target.Current);
        }
    }
}
