// GPT-2's reversible byte <-> printable-character map (Radford et al. 2019; openai/gpt-2 encoder.py
// bytes_to_unicode): printable Latin-1 bytes map to themselves, the other 68 bytes to U+0100 onwards.
namespace Loom.Tokenizers;

/// <summary>The byte-level alphabet of GPT-2 style tokenizers.</summary>
public static class ByteLevelAlphabet
{
    private static readonly char[] ByteToCharTable = Build();
    private static readonly Dictionary<char, byte> CharToByteTable = ByteToCharTable.Select((c, b) => (c, b)).ToDictionary(x => x.c, x => (byte)x.b);

    private static char[] Build()
    {
        var table = new char[256];
        int n = 0;
        for (int b = 0; b < 256; b++)
        {
            bool printable = b is (>= '!' and <= '~') or (>= 0xA1 and <= 0xAC) or (>= 0xAE and <= 0xFF);
            table[b] = printable ? (char)b : (char)(256 + n++);
        }

        return table;
    }

    /// <summary>The character that stands for byte <paramref name="b"/>.</summary>
    public static char ByteToChar(byte b) => ByteToCharTable[b];

    /// <summary>The byte a character stands for, if it is in the alphabet.</summary>
    public static bool TryCharToByte(char c, out byte b) => CharToByteTable.TryGetValue(c, out b);

    /// <summary>All 256 characters of the alphabet, in byte order.</summary>
    public static IReadOnlyList<char> Alphabet => ByteToCharTable;
}
