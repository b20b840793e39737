namespace Loom.Metrics.SequenceLabeling;

/// <summary>Chunk tagging schemes understood by strict-mode sequence-labelling evaluation (seqeval 1.2.2 <c>scheme.py</c>).</summary>
public enum TaggingScheme
{
    /// <summary>I inside, O outside, B only to separate two adjacent chunks of the same type.</summary>
    Iob1,

    /// <summary>I inside, O outside, E only to end a chunk followed by a chunk of the same type.</summary>
    Ioe1,

    /// <summary>Every chunk starts with B (CoNLL-2003 style).</summary>
    Iob2,

    /// <summary>Every chunk ends with E.</summary>
    Ioe2,

    /// <summary>B begin, I inside, E end, S single-token chunk.</summary>
    Iobes,

    /// <summary>B begin, I inside, L last, U unit-length chunk.</summary>
    Bilou,
}
