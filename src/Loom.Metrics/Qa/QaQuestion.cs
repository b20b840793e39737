namespace Loom.Metrics.Qa;

/// <summary>One question of a SQuAD-format data set: its id and the texts of its gold answers.</summary>
/// <param name="Id">The question id (the key into the predictions).</param>
/// <param name="Answers">The gold answer texts.</param>
public sealed record QaQuestion(string Id, IReadOnlyList<string> Answers);
