// An AutoTokenizer-style entry point: loads whatever tokenizer files a path (file or model folder) holds.
using Loom.Tokenizers.Serialization;

namespace Loom.Tokenizers;

/// <summary>Loads a tokenizer from a file or a model folder.</summary>
public static class AutoTokenizer
{
    /// <summary>
    /// Loads <paramref name="path"/>: a tokenizer.json file, or a folder holding tokenizer.json.
    /// </summary>
    /// <exception cref="TokenizerException">Nothing loadable is there.</exception>
    public static Tokenizer Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (File.Exists(path))
        {
            return TokenizerJson.Load(path);
        }

        if (Directory.Exists(path))
        {
            string json = Path.Combine(path, "tokenizer.json");
            if (File.Exists(json))
            {
                return TokenizerJson.Load(json);
            }

            throw new TokenizerException($"'{path}': expected a tokenizer file (tokenizer.json) in this folder, found none.");
        }

        throw new TokenizerException($"'{path}': expected a tokenizer file or a model folder, found nothing at that path.");
    }
}
