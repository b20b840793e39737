namespace Loom.Tokenizers.Models;

/// <summary>A trie over UTF-16 units mapping strings to ids, for common-prefix search.</summary>
internal sealed class CharTrie
{
    private readonly Dictionary<long, int> _children = [];
    private readonly List<int> _values = [-1];

    /// <summary>Adds (or overwrites) a key.</summary>
    public void Add(string key, int value)
    {
        int node = 0;
        foreach (char c in key)
        {
            long k = ((long)node << 16) | c;
            if (!_children.TryGetValue(k, out int child))
            {
                child = _values.Count;
                _values.Add(-1);
                _children[k] = child;
            }

            node = child;
        }

        _values[node] = value;
    }

    /// <summary>Calls <paramref name="onMatch"/>(length, value) for every key that is a prefix of <paramref name="text"/>[start..], shortest first.</summary>
    public void CommonPrefixes(string text, int start, List<(int Length, int Value)> output)
    {
        int node = 0;
        for (int i = start; i < text.Length; i++)
        {
            if (!_children.TryGetValue(((long)node << 16) | text[i], out node))
            {
                return;
            }

            if (_values[node] >= 0)
            {
                output.Add((i + 1 - start, _values[node]));
            }
        }
    }
}
