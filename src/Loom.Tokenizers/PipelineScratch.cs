// Buffers an encode reuses on each thread: the word being built by a one-pass pipeline (FusedBertPipeline,
// FusedByteLevelPipeline) with, per UTF-16 unit, the code point of the input it came from, and the tokens found so
// far (also for the general pipeline). Only the finished encoding, sized exactly, is allocated per call.
namespace Loom.Tokenizers;

/// <summary>Per-thread buffers of the one-pass pipelines.</summary>
internal sealed class PipelineScratch
{
    /// <summary>Buffers longer than this are not kept between calls.</summary>
    private const int KeptCapacity = 1 << 16;

    [ThreadStatic]
    private static PipelineScratch? t_current;

    private readonly List<int> _ids = [];
    private readonly List<string> _tokens = [];
    private readonly List<(int, int)> _offsets = [];
    private readonly List<int?> _words = [];
    private int _wordIndex;

    private char[] _word = new char[256];
    private int[] _origin = new int[256];

    /// <summary>The word being built.</summary>
    public char[] Word => _word;

    /// <summary>For each unit of <see cref="Word"/>, the code-point index in the input it came from.</summary>
    public int[] Origin => _origin;

    /// <summary>Number of units in <see cref="Word"/>.</summary>
    public int WordLength { get; set; }

    /// <summary>The model's tokens of the current word.</summary>
    public List<Token> Pieces { get; } = [];

    /// <summary>A small buffer for decompositions.</summary>
    public List<int> CodePoints { get; } = new(4);

    /// <summary>This thread's buffers, emptied (and shrunk when a very long input left them large).</summary>
    public static PipelineScratch ForThread()
    {
        var scratch = t_current ??= new PipelineScratch();
        if (scratch._word.Length > KeptCapacity)
        {
            scratch._word = new char[256];
            scratch._origin = new int[256];
        }

        scratch.WordLength = 0;
        scratch._wordIndex = 0;
        Empty(scratch._ids);
        Empty(scratch._tokens);
        Empty(scratch._offsets);
        Empty(scratch._words);
        Empty(scratch.Pieces);
        return scratch;
    }

    private static void Empty<T>(List<T> list)
    {
        list.Clear();
        if (list.Capacity > KeptCapacity)
        {
            list.Capacity = 0;
        }
    }

    /// <summary>Appends a code point from input code point <paramref name="codePoint"/> to the word.</summary>
    public void Append(int cp, int codePoint)
    {
        if (WordLength + 2 > _word.Length)
        {
            int size = 2 * _word.Length;
            Array.Resize(ref _word, size);
            Array.Resize(ref _origin, size);
        }

        if (cp > 0xFFFF)
        {
            Word[WordLength] = (char)(0xD800 + ((cp - 0x10000) >> 10));
            Origin[WordLength++] = codePoint;
            Word[WordLength] = (char)(0xDC00 + (cp & 0x3FF));
        }
        else
        {
            Word[WordLength] = (char)cp;
        }

        Origin[WordLength++] = codePoint;
    }

    /// <summary>Records <see cref="Pieces"/> (offsets within the word) as the tokens of the next word and empties the word.</summary>
    public void AddWordTokens()
    {
        foreach (var piece in Pieces)
        {
            _ids.Add(piece.Id);
            _tokens.Add(piece.Value);
            _offsets.Add((Origin[piece.Start], Origin[piece.End - 1] + 1));
            _words.Add(_wordIndex);
        }

        _wordIndex++;
        WordLength = 0;
        Pieces.Clear();
    }

    /// <summary>Records one token with its code-point offsets, as part of word <paramref name="word"/>.</summary>
    public void AddToken(Token token, (int Start, int End) offsets, int word)
    {
        _ids.Add(token.Id);
        _tokens.Add(token.Value);
        _offsets.Add(offsets);
        _words.Add(word);
    }

    /// <summary>The encoding of every word recorded, as sequence <paramref name="typeId"/>.</summary>
    public Encoding ToEncoding(int typeId) => Encoding.ForSequence([.. _ids], [.. _tokens], [.. _offsets], [.. _words], typeId);
}
