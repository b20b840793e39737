using System.Text.Json.Nodes;
using Loom.Metrics.Bm25;

namespace Loom.Metrics.Cases;

/// <summary>Fixture adapter for <c>rank_bm25</c> (GitHub HEAD) and <c>rank_bm25_pypi_0.2.2</c>.</summary>
public static class RankBm25Case
{
    /// <summary>Runs one case against rank_bm25 HEAD semantics.</summary>
    public static JsonNode RunCurrent(JsonObject parameters, JsonObject inputs) => Run(parameters, inputs, Bm25Compatibility.Current);

    /// <summary>Runs one case against rank_bm25 0.2.2 (PyPI) semantics.</summary>
    public static JsonNode RunPyPi022(JsonObject parameters, JsonObject inputs) => Run(parameters, inputs, Bm25Compatibility.PyPi022);

    private static JsonNode Run(JsonObject parameters, JsonObject inputs, Bm25Compatibility compatibility)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(inputs);
        var variant = CaseJson.OptionalString(parameters, "variant") switch
        {
            "BM25Okapi" or null => Bm25Variant.Okapi,
            "BM25L" => Bm25Variant.L,
            "BM25Plus" => Bm25Variant.Plus,
            var other => throw new MetricException($"Unknown BM25 variant '{other}': expected BM25Okapi, BM25L or BM25Plus."),
        };
        // rank_bm25's constructors take epsilon (Okapi) or delta (L, Plus) only; the other keyword is a TypeError.
        var unexpected = variant == Bm25Variant.Okapi ? "delta" : "epsilon";
        if (parameters[unexpected] is not null)
        {
            throw new MetricException($"{variant} does not take '{unexpected}': rank_bm25 raises TypeError for this keyword.");
        }

        var options = new Bm25Options(variant,
            CaseJson.OptionalDouble(parameters, "k1") ?? 1.5,
            CaseJson.OptionalDouble(parameters, "b") ?? 0.75,
            CaseJson.OptionalDouble(parameters, "epsilon"),
            CaseJson.OptionalDouble(parameters, "delta"),
            compatibility);
        var index = new Bm25Index(CaseJson.AsStringLists(CaseJson.Required(inputs, "corpus"), "corpus"), options);
        var queries = CaseJson.AsStringLists(CaseJson.Required(inputs, "queries"), "queries");

        var idf = new JsonObject();
        foreach (var term in queries.SelectMany(q => q))
        {
            if (index.Idf(term) is { } value && !idf.ContainsKey(term))
            {
                idf[term] = CaseJson.Number(value);
            }
        }

        var result = new JsonObject
        {
            ["corpus_size"] = index.CorpusSize,
            ["avgdl"] = CaseJson.Number(index.AverageDocumentLength),
            ["doc_len"] = new JsonArray([.. index.DocumentLengths.Select(l => (JsonNode?)l)]),
            ["idf"] = idf,
            ["scores"] = new JsonArray([.. queries.Select(q => (JsonNode?)CaseJson.Numbers(index.GetScores(q)))]),
        };
        if (variant == Bm25Variant.Okapi)
        {
            result["average_idf"] = CaseJson.Number(index.AverageIdf);
        }

        if (inputs["batch_doc_ids"] is { } ids)
        {
            var docIds = CaseJson.AsArray(ids, "batch_doc_ids").Select((n, i) => n?.GetValue<int>() ?? throw new MetricException($"'batch_doc_ids[{i}]' is null.")).ToList();
            result["batch_scores"] = new JsonArray([.. queries.Select(q => (JsonNode?)CaseJson.Numbers(index.GetBatchScores(q, docIds)))]);
        }

        return result;
    }
}
