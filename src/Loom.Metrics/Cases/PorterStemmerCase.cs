using System.Text.Json.Nodes;
using Loom.Metrics.Rouge;

namespace Loom.Metrics.Cases;

/// <summary>Fixture adapter for <c>nltk_porter_stemmer</c>: <c>stems[i] = PorterStemmer().stem(words[i])</c>.</summary>
public static class PorterStemmerCase
{
    /// <summary>Runs one case.</summary>
    public static JsonNode Run(JsonObject parameters, JsonObject inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var words = CaseJson.AsStringList(CaseJson.Required(inputs, "words"), "words");
        return new JsonObject { ["stems"] = CaseJson.Strings(words.Select(PorterStemmer.Instance.Stem)) };
    }
}
