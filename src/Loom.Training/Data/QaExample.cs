namespace Loom.Training.Data;

/// <summary>One extractive QA question in SQuAD v1 form: its passage, the question and the reference answers with their character offsets.</summary>
public sealed record QaExample(string Id, string Context, string Question, IReadOnlyList<string> Answers, IReadOnlyList<int> AnswerStarts);
