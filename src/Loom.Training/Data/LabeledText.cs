namespace Loom.Training.Data;

/// <summary>A text with an integer class label (sentiment: 1 = positive, 0 = negative).</summary>
public sealed record LabeledText(int Label, string Text);
