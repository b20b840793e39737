// Readers for the JSON files of a Hugging Face fixture folder (shared/fixtures/hf/README.md §3.3–3.4): integer inputs
// as nested lists, float tensors as {"dtype":"float32","shape":[…],"data":[…]} with shortest round-trip decimals, and
// losses as bare numbers.
using System.Globalization;
using System.Text.Json;
using Loom.Core;

namespace Loom.Models.Conformance;

/// <summary>Parses fixture inputs and expected outputs.</summary>
public static class FixtureJson
{
    /// <summary>
    /// The integer inputs of case <paramref name="caseName"/> (<c>forward</c>, <c>loss</c>, …) in
    /// <c>inputs.json</c>; non-list entries (e.g. <c>padding_side</c>) are skipped.
    /// </summary>
    public static IReadOnlyDictionary<string, IntTensor> ReadInputs(string inputsPath, string caseName)
    {
        ArgumentNullException.ThrowIfNull(inputsPath);
        using var document = JsonDocument.Parse(File.ReadAllText(inputsPath));
        if (!document.RootElement.TryGetProperty(caseName, out var entry) || entry.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{inputsPath}: expected an object \"{caseName}\" of inputs; found none.");
        }

        var inputs = new Dictionary<string, IntTensor>(StringComparer.Ordinal);
        foreach (var property in entry.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Array))
        {
            inputs[property.Name] = ReadIntTensor(property.Value, $"{inputsPath} {caseName}.{property.Name}");
        }

        return inputs;
    }

    /// <summary>An expected-output entry: a float tensor, a bare number (scalar), or integer sequences.</summary>
    public static ExpectedValue ReadExpected(JsonElement element, string where)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Number:
                return new ExpectedValue(Tensor.Scalar(ParseFloat(element, where)), null);
            case JsonValueKind.Array:
                return new ExpectedValue(null, ReadIntTensor(element, where));
            case JsonValueKind.Object:
                var shape = element.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
                var data = element.GetProperty("data").EnumerateArray().Select(e => ParseFloat(e, where)).ToArray();
                if (data.Length != shape.Aggregate(1, (a, b) => a * b))
                {
                    throw new InvalidDataException($"{where}: shape [{string.Join(", ", shape)}] needs {shape.Aggregate(1, (a, b) => a * b)} values; found {data.Length}.");
                }

                return new ExpectedValue(Tensor.FromArray(data, shape), null);
            default:
                throw new InvalidDataException($"{where}: expected a tensor object, a number or an integer list; found {element.ValueKind}.");
        }
    }

    /// <summary>Every entry of an <c>expected_*.json</c> file, in file order.</summary>
    public static IReadOnlyList<KeyValuePair<string, ExpectedValue>> ReadExpectedFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return [.. document.RootElement.EnumerateObject().Select(p => new KeyValuePair<string, ExpectedValue>(p.Name, ReadExpected(p.Value, $"{path} {p.Name}")))];
    }

    private static float ParseFloat(JsonElement element, string where) =>
        element.ValueKind == JsonValueKind.Number
            ? (float)element.GetDouble()
            : element.ValueKind == JsonValueKind.String && float.TryParse(element.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
                ? parsed // "NaN", "Infinity" as strings
                : throw new InvalidDataException($"{where}: expected a number; found {element.ValueKind}.");

    private static IntTensor ReadIntTensor(JsonElement element, string where)
    {
        var shape = new List<int>();
        var probe = element;
        while (probe.ValueKind == JsonValueKind.Array)
        {
            shape.Add(probe.GetArrayLength());
            if (probe.GetArrayLength() == 0)
            {
                break;
            }

            probe = probe[0];
        }

        var values = new List<int>();
        Flatten(element, 0, shape, values, where);
        return IntTensor.FromArray([.. values], [.. shape]);
    }

    private static void Flatten(JsonElement element, int depth, List<int> shape, List<int> values, string where)
    {
        if (depth == shape.Count)
        {
            values.Add(element.ValueKind == JsonValueKind.Number ? element.GetInt32() : throw new InvalidDataException($"{where}: expected an integer at depth {depth}; found {element.ValueKind}."));
            return;
        }

        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() != shape[depth])
        {
            throw new InvalidDataException($"{where}: ragged list: expected {shape[depth]} elements at depth {depth}.");
        }

        foreach (var item in element.EnumerateArray())
        {
            Flatten(item, depth + 1, shape, values, where);
        }
    }
}
