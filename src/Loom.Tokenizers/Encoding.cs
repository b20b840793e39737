// The output of a tokenizer, with the operations of Hugging Face tokenizers' Encoding
// (tokenizers/src/tokenizer/encoding.rs): merge (pairs, templates, overflow combinations), truncate (windows with
// stride), pad. Offsets are [start, end) in Unicode code points of the original input of each sequence.
namespace Loom.Tokenizers;

/// <summary>A tokenized sequence (or pair): ids, tokens, offsets, masks, word ids, sequence ids and overflowing windows.</summary>
public sealed class Encoding
{
    private readonly List<int> _ids;
    private readonly List<int> _typeIds;
    private readonly List<string> _tokens;
    private readonly List<(int Start, int End)> _offsets;
    private readonly List<int?> _wordIds;
    private readonly List<int> _specialTokensMask;
    private readonly List<int> _attentionMask;
    private readonly Dictionary<int, (int Start, int End)> _sequenceRanges;

    /// <summary>An empty encoding.</summary>
    public Encoding()
        : this([], [], [], [], [], [], [], [], [])
    {
    }

    internal Encoding(List<int> ids, List<int> typeIds, List<string> tokens, List<(int, int)> offsets, List<int?> wordIds,
        List<int> specialTokensMask, List<int> attentionMask, List<Encoding> overflowing, Dictionary<int, (int, int)> sequenceRanges)
    {
        _ids = ids;
        _typeIds = typeIds;
        _tokens = tokens;
        _offsets = offsets;
        _wordIds = wordIds;
        _specialTokensMask = specialTokensMask;
        _attentionMask = attentionMask;
        Overflowing = overflowing;
        _sequenceRanges = sequenceRanges;
    }

    /// <summary>An empty encoding with room for <paramref name="capacity"/> tokens.</summary>
    private Encoding(int capacity)
        : this(new(capacity), new(capacity), new(capacity), new(capacity), new(capacity), new(capacity), new(capacity), [], [])
    {
    }

    /// <summary>The encoding of one sequence straight from the model: the given type id, no special tokens, all attended.</summary>
    internal static Encoding ForSequence(List<int> ids, List<string> tokens, List<(int, int)> offsets, List<int?> wordIds, int typeId)
    {
        int n = ids.Count;
        return new Encoding(ids, [.. Enumerable.Repeat(typeId, n)], tokens, offsets, wordIds, [.. Enumerable.Repeat(0, n)],
            [.. Enumerable.Repeat(1, n)], [], []);
    }

    /// <summary>Builds an encoding of special tokens (mask 1, offsets [0,0), no word).</summary>
    internal static Encoding ForSpecialTokens(IReadOnlyList<int> ids, IReadOnlyList<string> tokens, int typeId)
    {
        int n = ids.Count;
        return new Encoding([.. ids], [.. Enumerable.Repeat(typeId, n)], [.. tokens], [.. Enumerable.Repeat((0, 0), n)],
            [.. Enumerable.Repeat((int?)null, n)], [.. Enumerable.Repeat(1, n)], [.. Enumerable.Repeat(1, n)], [], []);
    }

    /// <summary>Token ids.</summary>
    public IReadOnlyList<int> Ids => _ids;

    /// <summary>Segment (token type) ids.</summary>
    public IReadOnlyList<int> TypeIds => _typeIds;

    /// <summary>Token strings.</summary>
    public IReadOnlyList<string> Tokens => _tokens;

    /// <summary>[start, end) offsets in code points of the original input.</summary>
    public IReadOnlyList<(int Start, int End)> Offsets => _offsets;

    /// <summary>Index of the word each token belongs to (null for special and pad tokens).</summary>
    public IReadOnlyList<int?> WordIds => _wordIds;

    /// <summary>1 for special and pad tokens.</summary>
    public IReadOnlyList<int> SpecialTokensMask => _specialTokensMask;

    /// <summary>0 for pad tokens.</summary>
    public IReadOnlyList<int> AttentionMask => _attentionMask;

    /// <summary>Windows cut off by truncation.</summary>
    public List<Encoding> Overflowing { get; private set; }

    /// <summary>Number of tokens.</summary>
    public int Length => _ids.Count;

    /// <summary>Number of input sequences this encoding holds.</summary>
    public int SequenceCount => _sequenceRanges.Count == 0 ? 1 : _sequenceRanges.Count;

    /// <summary>Which input sequence (0 or 1) each token came from; null for special and pad tokens.</summary>
    public IReadOnlyList<int?> SequenceIds
    {
        get
        {
            var result = new int?[_ids.Count];
            foreach (var (seq, (s, e)) in _sequenceRanges)
            {
                for (int i = s; i < e; i++)
                {
                    result[i] = seq;
                }
            }

            return result;
        }
    }

    internal void SetTypeIds(int typeId)
    {
        for (int i = 0; i < _typeIds.Count; i++)
        {
            _typeIds[i] = typeId;
        }
    }

    internal void SetSequenceId(int sequenceId)
    {
        _sequenceRanges.Clear();
        _sequenceRanges[sequenceId] = (0, _ids.Count);
        foreach (var o in Overflowing)
        {
            o.SetSequenceId(sequenceId);
        }
    }

    internal void SetOffset(int index, (int, int) offset) => _offsets[index] = offset;

    /// <summary>A deep copy.</summary>
    public Encoding Clone() => new([.. _ids], [.. _typeIds], [.. _tokens], [.. _offsets], [.. _wordIds], [.. _specialTokensMask],
        [.. _attentionMask], Overflowing.Select(o => o.Clone()).ToList(), new Dictionary<int, (int, int)>(_sequenceRanges));

    private Encoding SliceCopy(int start, int stop) => new(_ids.GetRange(start, stop - start), _typeIds.GetRange(start, stop - start),
        _tokens.GetRange(start, stop - start), _offsets.GetRange(start, stop - start), _wordIds.GetRange(start, stop - start),
        _specialTokensMask.GetRange(start, stop - start), _attentionMask.GetRange(start, stop - start), [], []);

    /// <summary>Concatenates encodings (overflowing windows are combined the way Hugging Face does).</summary>
    public static Encoding Merge(IEnumerable<Encoding> encodings, bool growingOffsets)
    {
        ArgumentNullException.ThrowIfNull(encodings);
        var result = new Encoding(encodings is IReadOnlyCollection<Encoding> list ? list.Sum(e => e.Length) : 0);
        foreach (var e in encodings)
        {
            result.MergeWith(e, growingOffsets);
        }

        return result;
    }

    /// <summary>Appends <paramref name="pair"/>; every overflowing window of either side is combined with the other side.</summary>
    public void MergeWith(Encoding pair, bool growingOffsets)
    {
        ArgumentNullException.ThrowIfNull(pair);
        var overflowings = new List<Encoding>();
        foreach (var selfO in Overflowing)
        {
            var n = selfO.Clone();
            n.MergeWith(pair.Clone(), growingOffsets);
            overflowings.Add(n);
            foreach (var otherO in pair.Overflowing)
            {
                var m = selfO.Clone();
                m.MergeWith(otherO.Clone(), growingOffsets);
                overflowings.Add(m);
            }
        }

        foreach (var otherO in pair.Overflowing)
        {
            var n = Clone();
            n.MergeWith(otherO.Clone(), growingOffsets);
            overflowings.Add(n);
        }

        int originalLength = _ids.Count;
        foreach (var (seq, (s, e)) in pair._sequenceRanges)
        {
            _sequenceRanges[seq] = (originalLength + s, originalLength + e);
        }

        _ids.AddRange(pair._ids);
        _typeIds.AddRange(pair._typeIds);
        _tokens.AddRange(pair._tokens);
        _wordIds.AddRange(pair._wordIds);
        int shift = growingOffsets && _offsets.Count > 0 ? _offsets[^1].End : 0;
        foreach (var (s, e) in pair._offsets)
        {
            _offsets.Add((s + shift, e + shift));
        }

        _specialTokensMask.AddRange(pair._specialTokensMask);
        _attentionMask.AddRange(pair._attentionMask);
        Overflowing = overflowings;
    }

    /// <summary>
    /// Keeps <paramref name="maxLength"/> tokens; the rest becomes overflowing windows of that size that overlap by
    /// <paramref name="stride"/> tokens.
    /// </summary>
    /// <exception cref="TokenizerException">The stride is not smaller than the window.</exception>
    public void Truncate(int maxLength, int stride, TruncationDirection direction)
    {
        int length = _ids.Count;
        if (maxLength >= length)
        {
            return;
        }

        if (maxLength == 0)
        {
            var whole = new Encoding(new List<int>(_ids), new List<int>(_typeIds), new List<string>(_tokens), new List<(int, int)>(_offsets),
                new List<int?>(_wordIds), new List<int>(_specialTokensMask), new List<int>(_attentionMask), Overflowing,
                new Dictionary<int, (int, int)>(_sequenceRanges));
            Clear();
            Overflowing = [whole];
            return;
        }

        if (stride >= maxLength)
        {
            throw new TokenizerException(
                $"Truncation stride must be smaller than the window: expected stride < {maxLength}, found stride {stride} " +
                $"(the window is the per-sequence length left after special tokens).");
        }

        int step = maxLength - stride;
        var parts = new List<(int Start, int Stop)>();
        if (direction == TruncationDirection.Right)
        {
            for (int start = 0; start < length; start += step)
            {
                int stop = Math.Min(start + maxLength, length);
                parts.Add((start, stop));
                if (stop == length)
                {
                    break;
                }
            }
        }
        else
        {
            for (int last = length - 1; last >= 0; last -= step)
            {
                int stop = last + 1;
                int start = Math.Max(0, stop - maxLength);
                parts.Add((start, stop));
                if (start == 0)
                {
                    break;
                }
            }
        }

        var main = SliceCopy(parts[0].Start, parts[0].Stop);
        for (int i = 1; i < parts.Count; i++)
        {
            main.Overflowing.Add(SliceCopy(parts[i].Start, parts[i].Stop));
        }

        Clear();
        _ids.AddRange(main._ids);
        _typeIds.AddRange(main._typeIds);
        _tokens.AddRange(main._tokens);
        _offsets.AddRange(main._offsets);
        _wordIds.AddRange(main._wordIds);
        _specialTokensMask.AddRange(main._specialTokensMask);
        _attentionMask.AddRange(main._attentionMask);
        Overflowing = main.Overflowing;
    }

    private void Clear()
    {
        _ids.Clear();
        _typeIds.Clear();
        _tokens.Clear();
        _offsets.Clear();
        _wordIds.Clear();
        _specialTokensMask.Clear();
        _attentionMask.Clear();
        _sequenceRanges.Clear();
        Overflowing = [];
    }

    /// <summary>Pads this encoding and its overflowing windows to <paramref name="targetLength"/>.</summary>
    public void Pad(int targetLength, int padId, int padTypeId, string padToken, TruncationDirection direction)
    {
        foreach (var o in Overflowing)
        {
            o.Pad(targetLength, padId, padTypeId, padToken, direction);
        }

        int n = targetLength - _ids.Count;
        if (n <= 0)
        {
            return;
        }

        int at = direction == TruncationDirection.Left ? 0 : _ids.Count;
        _ids.InsertRange(at, Enumerable.Repeat(padId, n));
        _typeIds.InsertRange(at, Enumerable.Repeat(padTypeId, n));
        _tokens.InsertRange(at, Enumerable.Repeat(padToken, n));
        _wordIds.InsertRange(at, Enumerable.Repeat((int?)null, n));
        _attentionMask.InsertRange(at, Enumerable.Repeat(0, n));
        _specialTokensMask.InsertRange(at, Enumerable.Repeat(1, n));
        _offsets.InsertRange(at, Enumerable.Repeat((0, 0), n));
        if (direction == TruncationDirection.Left)
        {
            foreach (var key in _sequenceRanges.Keys.ToList())
            {
                var (s, e) = _sequenceRanges[key];
                _sequenceRanges[key] = (s + n, e + n);
            }
        }
    }
}
