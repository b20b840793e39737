using System.Text.Json.Nodes;

namespace Loom.Tokenizers.Tests;

/// <summary>Compares an <see cref="Encoding"/> with a fixture encoding object and lists the differences.</summary>
internal static class EncodingComparer
{
    private static string Show<T>(IEnumerable<T> items) => "[" + string.Join(",", items) + "]";

    private static void Check<T>(List<string> diffs, string where, string field, IEnumerable<T> actual, IEnumerable<T> expected)
    {
        var a = actual.ToList();
        var e = expected.ToList();
        if (!a.SequenceEqual(e))
        {
            diffs.Add($"{where}.{field}: expected {Show(e)} found {Show(a)}");
        }
    }

    public static void Compare(List<string> diffs, string where, Encoding actual, JsonNode expected)
    {
        Check(diffs, where, "ids", actual.Ids, expected["ids"]!.AsArray().Select(x => (int)x!));
        Check(diffs, where, "tokens", actual.Tokens, expected["tokens"]!.AsArray().Select(x => (string)x!));
        Check(diffs, where, "offsets", actual.Offsets.Select(o => $"({o.Start},{o.End})"),
            expected["offsets"]!.AsArray().Select(x => $"({(int)x![0]!},{(int)x[1]!})"));
        Check(diffs, where, "type_ids", actual.TypeIds, expected["type_ids"]!.AsArray().Select(x => (int)x!));
        Check(diffs, where, "attention_mask", actual.AttentionMask, expected["attention_mask"]!.AsArray().Select(x => (int)x!));
        Check(diffs, where, "special_tokens_mask", actual.SpecialTokensMask, expected["special_tokens_mask"]!.AsArray().Select(x => (int)x!));
        Check(diffs, where, "word_ids", actual.WordIds.Select(w => w?.ToString() ?? "null"),
            expected["word_ids"]!.AsArray().Select(x => x is null ? "null" : ((int)x).ToString()));
        if (expected["sequence_ids"] is JsonArray seq)
        {
            Check(diffs, where, "sequence_ids", actual.SequenceIds.Select(w => w?.ToString() ?? "null"),
                seq.Select(x => x is null ? "null" : ((int)x).ToString()));
        }

        if (expected["n_sequences"] is JsonNode n && (int)n != actual.SequenceCount)
        {
            diffs.Add($"{where}.n_sequences: expected {(int)n} found {actual.SequenceCount}");
        }

        var overflowing = expected["overflowing"] as JsonArray ?? [];
        if (overflowing.Count != actual.Overflowing.Count)
        {
            diffs.Add($"{where}.overflowing: expected {overflowing.Count} windows found {actual.Overflowing.Count}");
            return;
        }

        for (int i = 0; i < overflowing.Count; i++)
        {
            Compare(diffs, $"{where}.overflowing[{i}]", actual.Overflowing[i], overflowing[i]!);
        }
    }

    public static void CheckString(List<string> diffs, string where, string actual, string? expected)
    {
        if (actual != expected)
        {
            diffs.Add($"{where}: expected \"{Escape(expected)}\" found \"{Escape(actual)}\"");
        }
    }

    private static string Escape(string? s) => s is null ? "null" : System.Text.Json.JsonSerializer.Serialize(s);
}
