using System.Text;
using System.Text.Json;

namespace Loom.Cli.Commands;

/// <summary>
/// The two ~20 MB benchmark texts of <c>loom bench tokenize</c>, built from <c>shared/data</c> with the recipe of
/// <c>shared/fixtures/tokenizers/bench/texts.json</c> (so the HF throughput figures and id digests recorded there apply):
/// a base text of one item per line, repeated, cut to the first 20,000,000 UTF-8 bytes and back to the last newline,
/// then split into documents: greedy runs of whole lines of at most 1,000 bytes.
/// </summary>
internal static class BenchTokenizeTexts
{
    private const int TargetBytes = 20_000_000;
    private const int DocumentBytes = 1_000;

    /// <summary>English: tiny Shakespeare and the multi30k English captions.</summary>
    public static string English(string data)
    {
        var text = new StringBuilder();
        foreach (var part in (string[])["tinyshakespeare/input.txt", "multi30k/train.en", "multi30k/val.en", "multi30k/test_2016_flickr.en"])
        {
            AppendPart(text, File.ReadAllText(Path.Combine(data, part)));
        }

        return Repeat(text.ToString());
    }

    /// <summary>Chinese: waimai and hotel reviews, CMRC 2018 contexts and four poetry collections, one item per line.</summary>
    public static string Chinese(string data)
    {
        var lines = new List<string>();
        lines.AddRange(CsvReviews(Path.Combine(data, "chinese_nlp_corpus/waimai_10k.csv")));
        lines.AddRange(CsvReviews(Path.Combine(data, "chinese_nlp_corpus/ChnSentiCorp_htl_all.csv")));
        lines.AddRange(CmrcContexts(Path.Combine(data, "cmrc2018/cmrc2018_dev.json")));
        lines.AddRange(CmrcContexts(Path.Combine(data, "cmrc2018/cmrc2018_trial.json")));
        foreach (var poems in (string[])["tangshi300.json", "songci300.json", "poet.tang.0.json", "ci.song.0.json"])
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(data, "chinese_poetry", poems)));
            lines.AddRange(json.RootElement.EnumerateArray()
                .Select(poem => string.Concat(poem.GetProperty("paragraphs").EnumerateArray().Select(p => p.GetString()))));
        }

        var text = new StringBuilder();
        lines.ForEach(line => text.Append(line).Append('\n'));
        return Repeat(text.ToString());
    }

    /// <summary>Greedy runs of whole lines of at most 1,000 UTF-8 bytes; a longer line is a document by itself.</summary>
    public static List<string> Documents(string text)
    {
        var documents = new List<string>();
        var current = new StringBuilder();
        var currentBytes = 0;
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            end = end < 0 ? text.Length : end + 1;
            var line = text.AsSpan(start, end - start);
            var bytes = Encoding.UTF8.GetByteCount(line);
            if (currentBytes > 0 && currentBytes + bytes > DocumentBytes)
            {
                documents.Add(current.ToString());
                current.Clear();
                currentBytes = 0;
            }

            current.Append(line);
            currentBytes += bytes;
            start = end;
        }

        if (currentBytes > 0)
        {
            documents.Add(current.ToString());
        }

        return documents;
    }

    private static void AppendPart(StringBuilder text, string part)
    {
        text.Append(part);
        if (!part.EndsWith('\n'))
        {
            text.Append('\n');
        }
    }

    /// <summary>Repeats the base past 20,000,000 UTF-8 bytes, cuts there, then back to the last newline.</summary>
    private static string Repeat(string baseText)
    {
        var bytes = Encoding.UTF8.GetBytes(baseText);
        var repeated = new byte[TargetBytes];
        for (var at = 0; at < TargetBytes; at += bytes.Length)
        {
            bytes.AsSpan(0, Math.Min(bytes.Length, TargetBytes - at)).CopyTo(repeated.AsSpan(at));
        }

        var lastNewline = Array.LastIndexOf(repeated, (byte)'\n');
        return Encoding.UTF8.GetString(repeated, 0, lastNewline + 1);
    }

    /// <summary>The review column of a <c>label,review</c> CSV (RFC 4180 quoting), newlines inside a review as spaces.</summary>
    private static IEnumerable<string> CsvReviews(string path)
    {
        var csv = File.ReadAllText(path);
        var field = new StringBuilder();
        var column = 0;
        var quoted = false;
        var header = true;
        for (var i = 0; i < csv.Length; i++)
        {
            var c = csv[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < csv.Length && csv[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c is '\n' or '\r' ? ' ' : c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',' && column == 0)
            {
                column = 1;
                field.Clear();
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < csv.Length && csv[i + 1] == '\n')
                {
                    i++;
                }

                if (!header && column == 1)
                {
                    yield return field.ToString();
                }

                header = false;
                column = 0;
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        if (!header && column == 1)
        {
            yield return field.ToString();
        }
    }

    private static IEnumerable<string> CmrcContexts(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(path));
        var contexts = new List<string>();
        foreach (var article in json.RootElement.GetProperty("data").EnumerateArray())
        {
            foreach (var paragraph in article.GetProperty("paragraphs").EnumerateArray())
            {
                contexts.Add(paragraph.GetProperty("context").GetString() ?? "");
            }
        }

        return contexts;
    }
}
