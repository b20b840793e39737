namespace Loom.Tokenizers.PreTokenizers;

/// <summary>When Metaspace adds the replacement character in front of a piece.</summary>
public enum PrependScheme
{
    /// <summary>In front of every piece that lacks it.</summary>
    Always,

    /// <summary>Only in front of the piece that starts the input.</summary>
    First,

    /// <summary>Never.</summary>
    Never,
}
