namespace Loom.Training.Data;

/// <summary>One poem of the chinese-poetry collection: title (for ci, the tune name "rhythmic"), author and lines.</summary>
public sealed record Poem(string Title, string Author, IReadOnlyList<string> Paragraphs)
{
    /// <summary>The lines joined with '\n'.</summary>
    public string Text => string.Join('\n', Paragraphs);
}
