namespace Loom.Generation;

/// <summary>New text of one batch row: append <see cref="Text"/> to what row <see cref="Row"/> has printed so far.</summary>
public sealed record TextDelta(int Row, string Text);
