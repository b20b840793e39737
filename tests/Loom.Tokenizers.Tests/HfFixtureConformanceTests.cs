// Conformance against Hugging Face tokenizers outputs (tests/testdata/tokenizers, copied from
// shared/fixtures/tokenizers; see FIXTURES_README.md there): every case must match exactly.
using System.Text.Json.Nodes;

namespace Loom.Tokenizers.Tests;

public class HfFixtureConformanceTests
{
    public static TheoryData<string> Names => new() { "bert-base-uncased", "bert-base-chinese", "gpt2", "llama2", "roberta-base", "t5-small" };

    private static PaddingOptions? Padding(JsonNode? p)
    {
        if (p is null)
        {
            return null;
        }

        return new PaddingOptions
        {
            Strategy = (string)p["strategy"]! == "fixed" ? PaddingStrategy.Fixed : PaddingStrategy.BatchLongest,
            FixedLength = p["max_length"] is JsonNode m ? (int)m : 0,
            Direction = (string)p["direction"]! == "left" ? TruncationDirection.Left : TruncationDirection.Right,
            PadId = (int)p["pad_id"]!,
            PadToken = (string)p["pad_token"]!,
            PadTypeId = (int)p["pad_type_id"]!,
            PadToMultipleOf = p["pad_to_multiple_of"] is JsonNode k ? (int)k : null,
        };
    }

    private static TruncationOptions Truncation(JsonNode t) => new(
        (int)t["max_length"]!,
        (string)t["strategy"]! switch
        {
            "only_first" => TruncationStrategy.OnlyFirst,
            "only_second" => TruncationStrategy.OnlySecond,
            _ => TruncationStrategy.LongestFirst,
        },
        (int)t["stride"]!,
        (string)t["direction"]! == "left" ? TruncationDirection.Left : TruncationDirection.Right);

    private static void AssertNoDiffs(List<string> diffs, int cases)
    {
        Assert.True(cases > 0, "no cases were checked");
        Assert.True(diffs.Count == 0, $"{diffs.Count} differences over {cases} cases:\n" + string.Join("\n", diffs.Take(15)));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void SingleStringsMatch(string name)
    {
        var tok = TestData.LoadTokenizer(name);
        var expected = TestData.ReadJson($"{name}.expected.json.gz");
        var diffs = new List<string>();
        int cases = 0;
        foreach (var c in expected["single"]!.AsArray())
        {
            string text = (string)c!["text"]!;
            string where = $"single[{(int)c["index"]!}]";
            var enc = tok.Encode(text);
            EncodingComparer.Compare(diffs, where, enc, c["encoding"]!);
            var encNo = tok.Encode(text, addSpecialTokens: false);
            EncodingComparer.Compare(diffs, where + ".no_special", encNo, c["encoding_no_special"]!);
            var d = c["decode"]!;
            EncodingComparer.CheckString(diffs, where + ".decode.skip", tok.Decode(enc.Ids, true), (string?)d["ids"]!["skip_special_tokens"]);
            EncodingComparer.CheckString(diffs, where + ".decode.keep", tok.Decode(enc.Ids, false), (string?)d["ids"]!["keep_special_tokens"]);
            EncodingComparer.CheckString(diffs, where + ".decode_no_special.skip", tok.Decode(encNo.Ids, true), (string?)d["ids_no_special"]!["skip_special_tokens"]);
            EncodingComparer.CheckString(diffs, where + ".decode_no_special.keep", tok.Decode(encNo.Ids, false), (string?)d["ids_no_special"]!["keep_special_tokens"]);
            cases++;
        }

        AssertNoDiffs(diffs, cases);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void PairsMatch(string name)
    {
        var tok = TestData.LoadTokenizer(name);
        var expected = TestData.ReadJson($"{name}.expected.json.gz");
        var diffs = new List<string>();
        int cases = 0;
        foreach (var c in expected["pairs"]!.AsArray())
        {
            string where = $"pair[{(int)c!["index"]!}]";
            var enc = tok.Encode((string)c["text"]!, (string)c["text_pair"]!);
            EncodingComparer.Compare(diffs, where, enc, c["encoding"]!);
            var encNo = tok.Encode((string)c["text"]!, (string)c["text_pair"]!, addSpecialTokens: false);
            EncodingComparer.Compare(diffs, where + ".no_special", encNo, c["encoding_no_special"]!);
            EncodingComparer.CheckString(diffs, where + ".decode.skip", tok.Decode(enc.Ids, true), (string?)c["decode"]!["ids"]!["skip_special_tokens"]);
            EncodingComparer.CheckString(diffs, where + ".decode.keep", tok.Decode(enc.Ids, false), (string?)c["decode"]!["ids"]!["keep_special_tokens"]);
            cases++;
        }

        AssertNoDiffs(diffs, cases);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void BatchPaddingMatches(string name)
    {
        var expected = TestData.ReadJson($"{name}.expected.json.gz");
        var diffs = new List<string>();
        int cases = 0;
        foreach (var c in expected["batch_padding"]!.AsArray())
        {
            var tok = TestData.LoadTokenizer(name);
            tok.Padding = Padding(c!["padding"]);
            var texts = c["texts"]!.AsArray().Select(x => (string)x!).ToList();
            var encs = tok.EncodeBatch(texts, (bool)c["add_special_tokens"]!);
            var exp = c["encodings"]!.AsArray();
            var decoded = tok.DecodeBatch(encs.Select(e => e.Ids).ToList(), true);
            for (int i = 0; i < exp.Count; i++)
            {
                EncodingComparer.Compare(diffs, $"batch[{(string)c["name"]!}][{i}]", encs[i], exp[i]!);
                if (c["decode_skip_special"] is JsonArray expectedDecoded)
                {
                    EncodingComparer.CheckString(diffs, $"batch[{(string)c["name"]!}][{i}].decode", decoded[i], (string?)expectedDecoded[i]);
                }
            }

            cases++;
        }

        AssertNoDiffs(diffs, cases);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void PairPaddingMatches(string name)
    {
        var tok = TestData.LoadTokenizer(name);
        var expected = TestData.ReadJson($"{name}.expected.json.gz");
        var diffs = new List<string>();
        int cases = 0;
        foreach (var c in expected["pair_padding"]!.AsArray())
        {
            tok.Padding = Padding(c!["padding"]);
            var enc = tok.Encode((string)c["text"]!, (string)c["text_pair"]!, (bool)c["add_special_tokens"]!);
            EncodingComparer.Compare(diffs, $"pair_padding[{(string)c["name"]!}]", enc, c["encoding"]!);
            cases++;
        }

        AssertNoDiffs(diffs, cases);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void TruncationMatches(string name)
    {
        var tok = TestData.LoadTokenizer(name);
        var expected = TestData.ReadJson($"{name}.expected.json.gz");
        var diffs = new List<string>();
        int cases = 0;
        foreach (var c in expected["truncation"]!.AsArray())
        {
            string where = $"truncation[{cases}] {c!["truncation"]!.ToJsonString()} pair={c["text_pair"] is not null} special={(bool)c["add_special_tokens"]!}";
            tok.Truncation = Truncation(c["truncation"]!);
            tok.Padding = Padding(c["padding"]);
            cases++;
            Encoding? enc = null;
            string? error = null;
            try
            {
                enc = tok.Encode((string)c["text"]!, (string?)c["text_pair"], (bool)c["add_special_tokens"]!);
            }
            catch (TokenizerException e)
            {
                error = e.Message;
            }

            if (c["encoding"] is JsonNode e1)
            {
                if (enc is null)
                {
                    diffs.Add($"{where}: expected an encoding, found error {error}");
                }
                else
                {
                    EncodingComparer.Compare(diffs, where, enc, e1);
                }
            }
            else if (c["error"] is JsonNode err)
            {
                if (error is null || !error.StartsWith((string)err!, StringComparison.Ordinal))
                {
                    diffs.Add($"{where}: expected error '{(string)err!}', found {error ?? "success"}");
                }
            }
            else if (c["oracle_aborted"] is not null && error is null)
            {
                diffs.Add($"{where}: the reference aborts (stride >= window); expected a TokenizerException, found success");
            }
        }

        AssertNoDiffs(diffs, cases);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void DecodePrefixesAndVocabSizeMatch(string name)
    {
        var tok = TestData.LoadTokenizer(name);
        var expected = TestData.ReadJson($"{name}.expected.json.gz");
        var diffs = new List<string>();
        int cases = 0;
        foreach (var c in expected["decode_prefixes"]!.AsArray())
        {
            var ids = c!["ids"]!.AsArray().Select(x => (int)x!).ToList();
            var prefixes = c["decoded_prefixes"]!.AsArray();
            for (int k = 0; k <= ids.Count; k++)
            {
                EncodingComparer.CheckString(diffs, $"decode_prefixes[{(int)c["index"]!}][{k}]", tok.Decode(ids.Take(k).ToList(), false), (string?)prefixes[k]);
            }

            cases++;
        }

        Assert.Equal((int)expected["vocab_size"]!, tok.GetVocabSize(true));
        Assert.Equal((int)expected["vocab_size_without_added_tokens"]!, tok.GetVocabSize(false));
        AssertNoDiffs(diffs, cases);
    }
}
