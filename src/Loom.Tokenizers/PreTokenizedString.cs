// The pre-tokenization state of Hugging Face tokenizers (tokenizers/src/tokenizer/pre_tokenizer.rs,
// PreTokenizedString): a list of normalized pieces, some already tokenized (added tokens). Splitting only touches
// pieces without tokens and drops empty pieces.
namespace Loom.Tokenizers;

/// <summary>An input string cut into pieces that the model tokenizes independently.</summary>
public sealed class PreTokenizedString
{
    /// <summary>Wraps a whole input string as a single piece.</summary>
    public PreTokenizedString(string original)
    {
        Original = original ?? throw new ArgumentNullException(nameof(original));
        Splits = original.Length == 0 ? [] : [new PreTokenSplit(new NormalizedString(original))];
    }

    /// <summary>The original input.</summary>
    public string Original { get; }

    /// <summary>The current pieces.</summary>
    public List<PreTokenSplit> Splits { get; private set; }

    /// <summary>Replaces every untokenized piece by the pieces <paramref name="split"/> returns (empty ones dropped).</summary>
    public void Split(Func<NormalizedString, IEnumerable<NormalizedString>> split)
    {
        ArgumentNullException.ThrowIfNull(split);
        var result = new List<PreTokenSplit>(Splits.Count);
        foreach (var s in Splits)
        {
            if (s.Tokens is not null)
            {
                result.Add(s);
                continue;
            }

            foreach (var piece in split(s.Normalized))
            {
                if (piece.Length > 0)
                {
                    result.Add(new PreTokenSplit(piece));
                }
            }
        }

        Splits = result;
    }

    /// <summary>Like <see cref="Split(Func{NormalizedString, IEnumerable{NormalizedString}})"/> but pieces may come with tokens.</summary>
    public void SplitWithTokens(Func<NormalizedString, IEnumerable<PreTokenSplit>> split)
    {
        ArgumentNullException.ThrowIfNull(split);
        var result = new List<PreTokenSplit>(Splits.Count);
        foreach (var s in Splits)
        {
            if (s.Tokens is not null)
            {
                result.Add(s);
                continue;
            }

            foreach (var piece in split(s.Normalized))
            {
                if (piece.Normalized.Length > 0)
                {
                    result.Add(piece);
                }
            }
        }

        Splits = result;
    }

    /// <summary>Applies <paramref name="normalize"/> to every untokenized piece.</summary>
    public void Normalize(Action<NormalizedString> normalize)
    {
        ArgumentNullException.ThrowIfNull(normalize);
        foreach (var s in Splits)
        {
            if (s.Tokens is null)
            {
                normalize(s.Normalized);
            }
        }
    }
}
