namespace Loom.Tokenizers.Tests;

/// <summary>Writes a tensor-less GGUF v3 image (ggml docs/gguf.md) with the metadata a test gives, in order.</summary>
internal sealed class GgufImage
{
    private readonly List<(string Key, uint Type, Action<BinaryWriter> Write)> _entries = [];

    public GgufImage String(string key, string value) => Add(key, 8, w => WriteString(w, value));

    public GgufImage UInt32(string key, uint value) => Add(key, 4, w => w.Write(value));

    public GgufImage Bool(string key, bool value) => Add(key, 7, w => w.Write(value));

    public GgufImage Strings(string key, IReadOnlyList<string> values) => Array(key, 8, values.Count, w => values.ToList().ForEach(v => WriteString(w, v)));

    public GgufImage Floats(string key, IReadOnlyList<float> values) => Array(key, 6, values.Count, w => values.ToList().ForEach(w.Write));

    public GgufImage Int32s(string key, IReadOnlyList<int> values) => Array(key, 5, values.Count, w => values.ToList().ForEach(w.Write));

    public GgufImage Bytes(string key, byte[] values) => Array(key, 0, values.Length, w => w.Write(values));

    public byte[] ToArray()
    {
        using var memory = new MemoryStream();
        using var w = new BinaryWriter(memory);
        w.Write("GGUF"u8);
        w.Write(3u);
        w.Write(0ul);
        w.Write((ulong)_entries.Count);
        foreach (var (key, type, write) in _entries)
        {
            WriteString(w, key);
            w.Write(type);
            write(w);
        }

        w.Flush();
        return memory.ToArray();
    }

    private GgufImage Array(string key, uint elementType, int count, Action<BinaryWriter> write) => Add(key, 9, w =>
    {
        w.Write(elementType);
        w.Write((ulong)count);
        write(w);
    });

    private GgufImage Add(string key, uint type, Action<BinaryWriter> write)
    {
        _entries.Add((key, type, write));
        return this;
    }

    private static void WriteString(BinaryWriter w, string s)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(s);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }
}
