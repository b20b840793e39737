// OpenAI tiktoken encodings (openai/tiktoken: src/lib.rs byte_pair_merge, tiktoken_ext/openai_public.py): a rank
// file of base64 byte strings, a split pattern, then byte-level BPE inside each piece that always merges the
// adjacent pair whose concatenation has the lowest rank. Byte strings are keyed as Latin-1 strings (one char per
// byte). The split patterns run on .NET Regex, whose \p{L} does not see letters outside the BMP (they fall into
// the "other" classes), a known limit of this port.
using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Loom.Tokenizers.Formats;

/// <summary>A tiktoken encoding (r50k_base, p50k_base, cl100k_base, o200k_base or a custom rank file).</summary>
public sealed class TiktokenEncoding
{
    private const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";
    private const string Cl100kPattern = @"'(?i:[sdmt]|ll|ve|re)|(?>[^\r\n\p{L}\p{N}]?)\p{L}+|\p{N}{1,3}| ?(?>[^\s\p{L}\p{N}]+)[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+";
    private const string O200kPattern =
        @"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?" +
        @"|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?" +
        @"|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private readonly Dictionary<string, int> _ranks;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly Dictionary<int, byte[]> _decoder;
    private readonly Regex _split;
    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);

    /// <summary>Creates an encoding from ranks, a split regex and special tokens.</summary>
    public TiktokenEncoding(IReadOnlyDictionary<byte[], int> ranks, string pattern, IReadOnlyDictionary<string, int>? specialTokens = null)
    {
        ArgumentNullException.ThrowIfNull(ranks);
        ArgumentNullException.ThrowIfNull(pattern);
        _ranks = new Dictionary<string, int>(ranks.Count, StringComparer.Ordinal);
        _decoder = new Dictionary<int, byte[]>(ranks.Count);
        foreach (var (bytes, rank) in ranks)
        {
            _ranks[System.Text.Encoding.Latin1.GetString(bytes)] = rank;
            _decoder[rank] = bytes;
        }

        _lookup = _ranks.GetAlternateLookup<ReadOnlySpan<char>>();
        _split = new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);
        SpecialTokens = specialTokens ?? new Dictionary<string, int>();
        foreach (var (text, id) in SpecialTokens)
        {
            _decoder[id] = System.Text.Encoding.UTF8.GetBytes(text);
        }
    }

    /// <summary>Special tokens (text → id); they are only recognised by <see cref="EncodeWithSpecialTokens"/>.</summary>
    public IReadOnlyDictionary<string, int> SpecialTokens { get; }

    /// <summary>Reads a .tiktoken rank file ("base64 rank" per line).</summary>
    /// <exception cref="TokenizerException">A line is malformed.</exception>
    public static Dictionary<byte[], int> ReadRanks(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var reader = new StreamReader(path);
        return ReadRanks(reader, path);
    }

    /// <summary>Reads rank lines from a reader; <paramref name="path"/> names the source in errors.</summary>
    /// <exception cref="TokenizerException">A line is malformed.</exception>
    public static Dictionary<byte[], int> ReadRanks(TextReader reader, string path)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var ranks = new Dictionary<byte[], int>();
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            int sp = line.IndexOf(' ', StringComparison.Ordinal);
            if (sp < 0 || !int.TryParse(line.AsSpan(sp + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int rank))
            {
                throw new TokenizerException($"{path}:{lineNumber}: expected \"<base64> <rank>\", found \"{line}\".");
            }

            try
            {
                ranks[Convert.FromBase64String(line[..sp])] = rank;
            }
            catch (FormatException e)
            {
                throw new TokenizerException($"{path}:{lineNumber}: invalid base64 token \"{line[..sp]}\".", e);
            }
        }

        return ranks;
    }

    /// <summary>Loads one of the public encodings from its rank file, with tiktoken's split pattern and special tokens.</summary>
    /// <exception cref="TokenizerException">The name is not a known encoding.</exception>
    public static TiktokenEncoding Load(string name, string rankFile) => Create(name, ReadRanks(rankFile));

    /// <summary>One of the public encodings from already-read ranks.</summary>
    /// <exception cref="TokenizerException">The name is not a known encoding.</exception>
    public static TiktokenEncoding Create(string name, IReadOnlyDictionary<byte[], int> ranks)
    {
        ArgumentNullException.ThrowIfNull(ranks);
        return name switch
        {
            "gpt2" or "r50k_base" => new TiktokenEncoding(ranks, Gpt2Pattern, new Dictionary<string, int> { ["<|endoftext|>"] = 50256 }),
            "p50k_base" => new TiktokenEncoding(ranks, Gpt2Pattern, new Dictionary<string, int> { ["<|endoftext|>"] = 50256 }),
            "p50k_edit" => new TiktokenEncoding(ranks, Gpt2Pattern, new Dictionary<string, int>
            {
                ["<|endoftext|>"] = 50256,
                ["<|fim_prefix|>"] = 50281,
                ["<|fim_middle|>"] = 50282,
                ["<|fim_suffix|>"] = 50283,
            }),
            "cl100k_base" => new TiktokenEncoding(ranks, Cl100kPattern, new Dictionary<string, int>
            {
                ["<|endoftext|>"] = 100257,
                ["<|fim_prefix|>"] = 100258,
                ["<|fim_middle|>"] = 100259,
                ["<|fim_suffix|>"] = 100260,
                ["<|endofprompt|>"] = 100276,
            }),
            "o200k_base" => new TiktokenEncoding(ranks, O200kPattern, new Dictionary<string, int> { ["<|endoftext|>"] = 199999, ["<|endofprompt|>"] = 200018 }),
            _ => throw new TokenizerException($"Unknown tiktoken encoding '{name}' (expected gpt2, r50k_base, p50k_base, p50k_edit, cl100k_base or o200k_base)."),
        };
    }

    /// <summary>Encodes ordinary text (special-token text is encoded as ordinary text).</summary>
    public List<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3);
        EncodeOrdinary(text, ids);
        return ids;
    }

    /// <summary>Encodes text in which the special tokens are recognised.</summary>
    public List<int> EncodeWithSpecialTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>();
        int start = 0;
        while (start < text.Length)
        {
            int best = -1;
            string? bestToken = null;
            foreach (var token in SpecialTokens.Keys)
            {
                int at = text.IndexOf(token, start, StringComparison.Ordinal);
                if (at >= 0 && (best < 0 || at < best || (at == best && token.Length > bestToken!.Length)))
                {
                    best = at;
                    bestToken = token;
                }
            }

            if (best < 0)
            {
                break;
            }

            EncodeOrdinary(text[start..best], ids);
            ids.Add(SpecialTokens[bestToken!]);
            start = best + bestToken!.Length;
        }

        EncodeOrdinary(text[start..], ids);
        return ids;
    }

    private void EncodeOrdinary(string text, List<int> ids)
    {
        foreach (Match m in _split.Matches(text))
        {
            string piece = m.Value;
            if (_cache.TryGetValue(piece, out var cached))
            {
                ids.AddRange(cached);
                continue;
            }

            string bytes = System.Text.Encoding.Latin1.GetString(System.Text.Encoding.UTF8.GetBytes(piece));
            int[] result = _lookup.TryGetValue(bytes.AsSpan(), out int whole) ? [whole] : BytePairMerge(bytes);
            if (piece.Length < 128 && _cache.Count < 500_000)
            {
                _cache.TryAdd(piece, result);
            }

            ids.AddRange(result);
        }
    }

    private int Rank(string bytes, int start, int end) => _lookup.TryGetValue(bytes.AsSpan(start, end - start), out int r) ? r : int.MaxValue;

    /// <summary>tiktoken's byte_pair_merge: boundaries start at every byte; merge the lowest-ranked adjacent pair until none is left.</summary>
    private int[] BytePairMerge(string bytes)
    {
        var parts = new List<(int Start, int Rank)>(bytes.Length + 1);
        for (int i = 0; i < bytes.Length - 1; i++)
        {
            parts.Add((i, Rank(bytes, i, i + 2)));
        }

        parts.Add((bytes.Length - 1, int.MaxValue));
        parts.Add((bytes.Length, int.MaxValue));
        while (parts.Count > 1)
        {
            int minRank = int.MaxValue, minIndex = -1;
            for (int i = 0; i < parts.Count - 1; i++)
            {
                if (parts[i].Rank < minRank)
                {
                    minRank = parts[i].Rank;
                    minIndex = i;
                }
            }

            if (minIndex < 0)
            {
                break;
            }

            int PairRank(int i) => i + 3 < parts.Count ? Rank(bytes, parts[i].Start, parts[i + 3].Start) : int.MaxValue;
            parts[minIndex] = (parts[minIndex].Start, PairRank(minIndex));
            if (minIndex > 0)
            {
                parts[minIndex - 1] = (parts[minIndex - 1].Start, PairRank(minIndex - 1));
            }

            parts.RemoveAt(minIndex + 1);
        }

        var ids = new int[parts.Count - 1];
        for (int i = 0; i < ids.Length; i++)
        {
            int r = Rank(bytes, parts[i].Start, parts[i + 1].Start);
            ids[i] = r != int.MaxValue ? r : throw new TokenizerException($"tiktoken: byte sequence at {parts[i].Start} has no rank (the rank file lacks single bytes).");
        }

        return ids;
    }

    /// <summary>Decodes ids to text (invalid UTF-8 becomes U+FFFD).</summary>
    /// <exception cref="TokenizerException">An id is unknown.</exception>
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var bytes = new List<byte>();
        foreach (int id in ids)
        {
            bytes.AddRange(_decoder.TryGetValue(id, out var b) ? b : throw new TokenizerException($"tiktoken: unknown token id {id}."));
        }

        return System.Text.Encoding.UTF8.GetString([.. bytes]);
    }
}
