// Unicode normalization (UAX #15) with alignment tracking, in the manner of the unicode-normalization-alignments
// crate used by Hugging Face tokenizers: each decomposed character is (first: replaces, rest: inserted), canonical
// reordering carries those changes along, and a composition folds the absorbed character into the starter.
namespace Loom.Tokenizers.Normalizers;

/// <summary>NFC / NFD / NFKC / NFKD normalizer.</summary>
public sealed class UnicodeNormalizer : INormalizer
{
    /// <summary>Creates a normalizer for <paramref name="form"/>.</summary>
    public UnicodeNormalizer(NormalizationForm form) => Form = form;

    /// <summary>The normalization form.</summary>
    public NormalizationForm Form { get; }

    /// <inheritdoc/>
    public void Normalize(NormalizedString text) => Apply(text, Form);

    /// <summary>Normalizes <paramref name="text"/> to <paramref name="form"/>.</summary>
    public static void Apply(NormalizedString text, NormalizationForm form)
    {
        ArgumentNullException.ThrowIfNull(text);
        string s = text.Text;
        bool compat = form is NormalizationForm.Nfkc or NormalizationForm.Nfkd;
        bool compose = form is NormalizationForm.Nfc or NormalizationForm.Nfkc;
        bool anyNonAscii = false;
        foreach (char c in s)
        {
            if (c >= 0x80)
            {
                anyNonAscii = true;
                break;
            }
        }

        if (!anyNonAscii)
        {
            return;
        }

        var items = new List<(int Cp, int Change, int Ccc)>(s.Length + 8);
        var buffer = new List<int>(4);
        for (int i = 0; i < s.Length;)
        {
            int cp = char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) ? char.ConvertToUtf32(s[i], s[i + 1]) : s[i];
            i += cp > 0xFFFF ? 2 : 1;
            buffer.Clear();
            UnicodeData.Decompose(cp, compat, buffer);
            for (int k = 0; k < buffer.Count; k++)
            {
                items.Add((buffer[k], k == 0 ? 0 : 1, UnicodeData.CombiningClass(buffer[k])));
            }
        }

        // Canonical ordering: stable sort of each run of non-starters by combining class.
        for (int i = 0; i < items.Count;)
        {
            if (items[i].Ccc == 0)
            {
                i++;
                continue;
            }

            int j = i;
            while (j < items.Count && items[j].Ccc != 0)
            {
                j++;
            }

            if (j - i > 1)
            {
                var run = items.GetRange(i, j - i).OrderBy(x => x.Ccc).ToList();
                for (int k = 0; k < run.Count; k++)
                {
                    items[i + k] = run[k];
                }
            }

            i = j;
        }

        if (compose)
        {
            items = Compose(items);
        }

        text.Transform(items.Select(x => (x.Cp, x.Change)));
    }

    private static List<(int Cp, int Change, int Ccc)> Compose(List<(int Cp, int Change, int Ccc)> items)
    {
        var result = new List<(int Cp, int Change, int Ccc)>(items.Count);
        int starter = -1;
        int lastCcc = -1;
        foreach (var item in items)
        {
            if (starter >= 0)
            {
                var st = result[starter];
                bool blocked = result.Count - 1 > starter && (lastCcc == 0 || lastCcc >= item.Ccc);
                if (!blocked)
                {
                    int composite = UnicodeData.Compose(st.Cp, item.Cp);
                    if (composite >= 0)
                    {
                        result[starter] = (composite, st.Change + item.Change - 1, 0);
                        continue;
                    }
                }
            }

            if (item.Ccc == 0)
            {
                starter = result.Count;
                lastCcc = -1;
                result.Add(item);
                lastCcc = 0;
                continue;
            }

            lastCcc = item.Ccc;
            result.Add(item);
        }

        return result;
    }
}
