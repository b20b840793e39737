namespace Loom.Metrics.SequenceLabeling;

/// <summary>
/// One chunk found in a tag sequence. In default (conlleval-compatible) mode positions index the concatenation of
/// all sentences with one <c>O</c> between them, <see cref="Sentence"/> is 0 and <see cref="End"/> is inclusive (as
/// seqeval's <c>get_entities</c>); in strict mode positions are within <see cref="Sentence"/> and <see cref="End"/>
/// is exclusive (as seqeval's <c>Entity</c>).
/// </summary>
/// <param name="Sentence">Sentence index (strict mode) or 0.</param>
/// <param name="Type">Entity type, e.g. <c>PER</c>; <c>_</c> when the tag has none.</param>
/// <param name="Start">First token.</param>
/// <param name="End">Last token (default mode) or one past it (strict mode).</param>
public readonly record struct LabeledEntity(int Sentence, string Type, int Start, int End);
