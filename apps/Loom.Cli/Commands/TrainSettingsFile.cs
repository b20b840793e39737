// `loom train --config FILE`: a flat map of setting name → scalar, written as YAML (.yaml / .yml, read with YamlDotNet)
// or JSON (.json). Nested values are rejected with the setting's name; every value is kept as text for the recipe to parse.
using System.Globalization;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Loom.Cli.Commands;

/// <summary>Reads a training config file into setting name → text.</summary>
internal static class TrainSettingsFile
{
    public static Dictionary<string, string> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"--config: '{path}' does not exist.", path);
        }

        var text = File.ReadAllText(path);
        return Path.GetExtension(path).ToUpperInvariant() switch
        {
            ".YAML" or ".YML" => ReadYaml(path, text),
            ".JSON" => ReadJson(path, text),
            var other => throw new ArgumentException($"--config: expected a .yaml, .yml or .json file; found '{other}'."),
        };
    }

    private static Dictionary<string, string> ReadYaml(string path, string text)
    {
        Dictionary<string, object?>? map;
        try
        {
            map = new DeserializerBuilder().Build().Deserialize<Dictionary<string, object?>>(text);
        }
        catch (YamlException e)
        {
            throw new ArgumentException($"--config '{path}': not a YAML mapping of settings ({e.Start}: {e.Message}).", e);
        }

        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in map ?? [])
        {
            settings[name] = value switch
            {
                string scalar => scalar,
                null => throw new ArgumentException($"--config '{path}': setting '{name}' has no value."),
                _ => throw new ArgumentException($"--config '{path}': setting '{name}' must be a single value, not a list or mapping."),
            };
        }

        return settings;
    }

    private static Dictionary<string, string> ReadJson(string path, string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"--config '{path}': not valid JSON ({e.Message}).", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException($"--config '{path}': expected a JSON object of settings.");
            }

            var settings = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                settings[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString()!,
                    JsonValueKind.Number => property.Value.GetRawText(),
                    JsonValueKind.True or JsonValueKind.False => property.Value.GetBoolean().ToString(CultureInfo.InvariantCulture).ToLowerInvariant(),
                    _ => throw new ArgumentException($"--config '{path}': setting '{property.Name}' must be a single value, not {property.Value.ValueKind.ToString().ToLowerInvariant()}."),
                };
            }

            return settings;
        }
    }
}
