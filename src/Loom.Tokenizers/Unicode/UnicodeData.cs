// Canonical combining classes, canonical / compatibility decompositions and primary composites, loaded from an
// embedded table generated from the Unicode Character Database (see generate_normalization_data.py). Needed
// because .NET's string.Normalize is a no-op under InvariantGlobalization, and because the tokenizer pipeline
// must know, per character, what the normalization did (Hugging Face tokenizers keeps alignments the same way,
// via the unicode-normalization-alignments crate). Hangul follows the algorithm of Unicode §3.12.
using System.IO.Compression;
using System.Reflection;

namespace Loom.Tokenizers;

/// <summary>Unicode normalization data: combining classes, decompositions and compositions.</summary>
internal static class UnicodeData
{
    private const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7;
    private const int LCount = 19, VCount = 21, TCount = 28, NCount = VCount * TCount, SCount = LCount * NCount;

    private static readonly Dictionary<int, byte> CombiningClasses = [];
    private static readonly Dictionary<int, int[]> Canonical = [];
    private static readonly Dictionary<int, int[]> Compatibility = [];
    private static readonly Dictionary<long, int> Composites = [];

#pragma warning disable CA1810 // the table is parsed once, from an embedded resource
    static UnicodeData()
#pragma warning restore CA1810
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Loom.Tokenizers.UnicodeNormalizationData.txt.gz")
            ?? throw new InvalidOperationException("Embedded Unicode normalization table is missing from Loom.Tokenizers.");
        using var gzip = new GZipStream(stream, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var parts = line.Split(' ');
            if (parts[0] == "D")
            {
                int cp = Hex(parts[1]);
                byte ccc = byte.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
                if (ccc != 0)
                {
                    CombiningClasses[cp] = ccc;
                }

                if (parts[3] != "-")
                {
                    Canonical[cp] = parts[3].Split(',').Select(Hex).ToArray();
                }

                if (parts[4] != "-")
                {
                    Compatibility[cp] = parts[4].Split(',').Select(Hex).ToArray();
                }
            }
            else if (parts[0] == "C")
            {
                Composites[Key(Hex(parts[1]), Hex(parts[2]))] = Hex(parts[3]);
            }
        }
    }

    private static int Hex(string s) => int.Parse(s, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);

    private static long Key(int a, int b) => ((long)a << 21) | (uint)b;

    /// <summary>Canonical combining class of a code point (0 for starters).</summary>
    public static int CombiningClass(int cp) => CombiningClasses.TryGetValue(cp, out var c) ? c : 0;

    /// <summary>Appends the full decomposition of <paramref name="cp"/> (itself when it has none).</summary>
    public static void Decompose(int cp, bool compatibility, List<int> output)
    {
        if (cp >= SBase && cp < SBase + SCount)
        {
            int s = cp - SBase;
            output.Add(LBase + (s / NCount));
            output.Add(VBase + (s % NCount / TCount));
            if (s % TCount != 0)
            {
                output.Add(TBase + (s % TCount));
            }

            return;
        }

        if (compatibility && Compatibility.TryGetValue(cp, out var k))
        {
            output.AddRange(k);
        }
        else if (Canonical.TryGetValue(cp, out var d))
        {
            output.AddRange(d);
        }
        else
        {
            output.Add(cp);
        }
    }

    /// <summary>The primary composite of two code points, or -1.</summary>
    public static int Compose(int a, int b)
    {
        if (a >= LBase && a < LBase + LCount && b >= VBase && b < VBase + VCount)
        {
            return SBase + ((((a - LBase) * VCount) + (b - VBase)) * TCount);
        }

        if (a >= SBase && a < SBase + SCount && (a - SBase) % TCount == 0 && b > TBase && b < TBase + TCount)
        {
            return a + (b - TBase);
        }

        return Composites.TryGetValue(Key(a, b), out var c) ? c : -1;
    }

    /// <summary>True when the code point maps to something else under the given decomposition.</summary>
    public static bool HasDecomposition(int cp, bool compatibility) =>
        (cp >= SBase && cp < SBase + SCount) || Canonical.ContainsKey(cp) || (compatibility && Compatibility.ContainsKey(cp));
}
