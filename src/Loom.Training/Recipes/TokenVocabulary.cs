// The vocabulary of the character-level recipes: special tokens first, then one token per character (a Unicode scalar),
// saved as vocab.json, a JSON array of the tokens in id order (what `loom train pretrain mlm` writes). Text is encoded
// one token per character with its UTF-16 offsets, so labels given per character (NER tags, answer spans) align exactly;
// a character outside the vocabulary becomes the unknown token.
using System.Text;
using System.Text.Json;

namespace Loom.Training.Recipes;

/// <summary>Special tokens and characters, in id order.</summary>
public sealed class TokenVocabulary
{
    private readonly IReadOnlyList<string> _tokens;
    private readonly Dictionary<string, int> _ids;

    /// <summary>Creates the vocabulary from its tokens in id order.</summary>
    public TokenVocabulary(IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        _tokens = tokens;
        _ids = new Dictionary<string, int>(tokens.Count, StringComparer.Ordinal);
        for (var id = 0; id < tokens.Count; id++)
        {
            if (!_ids.TryAdd(tokens[id], id))
            {
                throw new ArgumentException($"Vocabulary: token '{tokens[id]}' appears twice (ids {_ids[tokens[id]]} and {id}).", nameof(tokens));
            }
        }
    }

    /// <summary>Tokens in id order.</summary>
    public IReadOnlyList<string> Tokens => _tokens;

    /// <summary>Number of tokens.</summary>
    public int Count => _tokens.Count;

    /// <summary><paramref name="specialTokens"/> followed by the sorted characters of <paramref name="texts"/>.</summary>
    public static TokenVocabulary FromTexts(IReadOnlyList<string> specialTokens, IEnumerable<string> texts)
    {
        ArgumentNullException.ThrowIfNull(specialTokens);
        ArgumentNullException.ThrowIfNull(texts);
        var characters = texts.SelectMany(t => t.EnumerateRunes()).Distinct().Order().Select(r => r.ToString());
        return new TokenVocabulary([.. specialTokens, .. characters.Where(c => !specialTokens.Contains(c))]);
    }

    /// <summary>Reads vocab.json (a JSON array of token strings in id order).</summary>
    public static TokenVocabulary Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return new TokenVocabulary(JsonSerializer.Deserialize<List<string>>(File.ReadAllText(path, Encoding.UTF8))
                ?? throw new FormatException($"{path}: expected a JSON array of tokens; found null."));
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: expected a JSON array of tokens ({e.Message}).", e);
        }
    }

    /// <summary>Writes vocab.json.</summary>
    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(_tokens), Encoding.UTF8);

    /// <summary>The id of <paramref name="token"/>; throws <see cref="ArgumentException"/> naming it when absent.</summary>
    public int Id(string token) => _ids.TryGetValue(token, out var id) ? id
        : throw new ArgumentException($"Vocabulary: expected the token '{token}'; the vocabulary ({Count} tokens) lacks it.");

    /// <summary>The token of <paramref name="id"/>.</summary>
    public string Token(int id) => _tokens[id];

    /// <summary>
    /// One id per character of <paramref name="text"/> (<paramref name="unknownId"/> outside the vocabulary) and each
    /// character's UTF-16 range [Start, End) in <paramref name="text"/>.
    /// </summary>
    public (int[] Ids, (int Start, int End)[] Offsets) Encode(string text, int unknownId)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length);
        var offsets = new List<(int, int)>(text.Length);
        var position = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            ids.Add(_ids.TryGetValue(rune.ToString(), out var id) ? id : unknownId);
            offsets.Add((position, position + rune.Utf16SequenceLength));
            position += rune.Utf16SequenceLength;
        }

        return (ids.ToArray(), offsets.ToArray());
    }

    /// <summary>The text of <paramref name="ids"/>, each token as written.</summary>
    public string Decode(IEnumerable<int> ids) => string.Concat(ids.Select(Token));
}
