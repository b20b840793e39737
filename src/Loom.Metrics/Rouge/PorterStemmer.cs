// Porter, "An algorithm for suffix stripping" (Program 14(3), 1980), as NLTK 3.8 implements it:
// nltk/stem/porter.py, PorterStemmer(mode=NLTK_EXTENSIONS).
namespace Loom.Metrics.Rouge;

/// <summary>
/// The Porter stemmer as NLTK 3.8 runs it by default (<c>nltk.stem.porter.PorterStemmer</c>, mode
/// <c>NLTK_EXTENSIONS</c>): M. F. Porter, "An algorithm for suffix stripping", Program 14(3), 1980, plus NLTK's
/// departures (irregular forms, <c>ies</c>/<c>ied</c> on four-letter words, <c>y</c>→<c>i</c> only after a consonant,
/// <c>alli</c> re-run through step 2, <c>fulli</c>, <c>logi</c>, two-letter words left alone). This is the stemmer
/// behind rouge-score's <c>use_stemmer=True</c>.
/// </summary>
public sealed class PorterStemmer
{
    private delegate bool Condition(string stem);

    private readonly record struct Rule(string Suffix, string Replacement, Condition? Condition);

    private static readonly Dictionary<string, string> IrregularForms = new(StringComparer.Ordinal)
    {
        ["sky"] = "sky",
        ["skies"] = "sky",
        ["dying"] = "die",
        ["lying"] = "lie",
        ["tying"] = "tie",
        ["news"] = "news",
        ["innings"] = "inning",
        ["inning"] = "inning",
        ["outings"] = "outing",
        ["outing"] = "outing",
        ["cannings"] = "canning",
        ["canning"] = "canning",
        ["howe"] = "howe",
        ["proceed"] = "proceed",
        ["exceed"] = "exceed",
        ["succeed"] = "succeed",
    };

    /// <summary>A shared instance (the stemmer holds no state).</summary>
    public static PorterStemmer Instance { get; } = new();

    /// <summary>Stems one word after lower-casing it, like NLTK's <c>stem(word)</c>.</summary>
    public string Stem(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var stem = Text.PyText.Lower(word);
        if (IrregularForms.TryGetValue(word, out var irregular))
        {
            return irregular;
        }

        if (word.Length <= 2)
        {
            return stem;
        }

        stem = Step1A(stem);
        stem = Step1B(stem);
        stem = Step1C(stem);
        stem = Step2(stem);
        stem = Step3(stem);
        stem = Step4(stem);
        stem = Step5A(stem);
        stem = Step5B(stem);
        return stem;
    }

    private static bool IsConsonant(string word, int i)
    {
        var c = word[i];
        if (c is 'a' or 'e' or 'i' or 'o' or 'u')
        {
            return false;
        }

        if (c == 'y')
        {
            return i == 0 || !IsConsonant(word, i - 1);
        }

        return true;
    }

    /// <summary>Porter's m: the number of vowel-consonant sequences.</summary>
    private static int Measure(string stem)
    {
        var m = 0;
        for (var i = 1; i < stem.Length; i++)
        {
            if (IsConsonant(stem, i) && !IsConsonant(stem, i - 1))
            {
                m++;
            }
        }

        return m;
    }

    private static bool HasPositiveMeasure(string stem) => Measure(stem) > 0;

    private static bool ContainsVowel(string stem)
    {
        for (var i = 0; i < stem.Length; i++)
        {
            if (!IsConsonant(stem, i))
            {
                return true;
            }
        }

        return false;
    }

    private static bool EndsDoubleConsonant(string word) =>
        word.Length >= 2 && word[^1] == word[^2] && IsConsonant(word, word.Length - 1);

    private static bool EndsCvc(string word) =>
        (word.Length >= 3
         && IsConsonant(word, word.Length - 3)
         && !IsConsonant(word, word.Length - 2)
         && IsConsonant(word, word.Length - 1)
         && word[^1] is not ('w' or 'x' or 'y'))
        || (word.Length == 2 && !IsConsonant(word, 0) && IsConsonant(word, 1));

    /// <summary>Applies the first rule whose suffix matches; if its condition fails no later rule is tried.</summary>
    private static string ApplyRules(string word, Rule[] rules)
    {
        foreach (var rule in rules)
        {
            if (rule.Suffix == "*d" && EndsDoubleConsonant(word))
            {
                var stem = word[..^2];
                return rule.Condition is null || rule.Condition(stem) ? stem + rule.Replacement : word;
            }

            if (word.EndsWith(rule.Suffix, StringComparison.Ordinal))
            {
                var stem = word[..^rule.Suffix.Length];
                return rule.Condition is null || rule.Condition(stem) ? stem + rule.Replacement : word;
            }
        }

        return word;
    }

    private static string Step1A(string word)
    {
        if (word.EndsWith("ies", StringComparison.Ordinal) && word.Length == 4)
        {
            return word[..^3] + "ie";
        }

        return ApplyRules(word, [new("sses", "ss", null), new("ies", "i", null), new("ss", "ss", null), new("s", "", null)]);
    }

    private static string Step1B(string word)
    {
        if (word.EndsWith("ied", StringComparison.Ordinal))
        {
            return word[..^3] + (word.Length == 4 ? "ie" : "i");
        }

        if (word.EndsWith("eed", StringComparison.Ordinal))
        {
            var stem = word[..^3];
            return Measure(stem) > 0 ? stem + "ee" : word;
        }

        string? intermediate = null;
        foreach (var suffix in (string[])["ed", "ing"])
        {
            if (word.EndsWith(suffix, StringComparison.Ordinal) && ContainsVowel(word[..^suffix.Length]))
            {
                intermediate = word[..^suffix.Length];
                break;
            }
        }

        if (intermediate is null)
        {
            return word;
        }

        var last = intermediate.Length > 0 ? intermediate[^1] : '\0';
        return ApplyRules(intermediate,
        [
            new("at", "ate", null),
            new("bl", "ble", null),
            new("iz", "ize", null),
            new("*d", last.ToString(), _ => last is not ('l' or 's' or 'z')),
            new("", "e", stem => Measure(stem) == 1 && EndsCvc(stem)),
        ]);
    }

    private static string Step1C(string word) =>
        ApplyRules(word, [new("y", "i", stem => stem.Length > 1 && IsConsonant(stem, stem.Length - 1))]);

    private static string Step2(string word)
    {
        if (word.EndsWith("alli", StringComparison.Ordinal) && HasPositiveMeasure(word[..^4]))
        {
            return Step2(word[..^4] + "al");
        }

        return ApplyRules(word,
        [
            new("ational", "ate", HasPositiveMeasure),
            new("tional", "tion", HasPositiveMeasure),
            new("enci", "ence", HasPositiveMeasure),
            new("anci", "ance", HasPositiveMeasure),
            new("izer", "ize", HasPositiveMeasure),
            new("bli", "ble", HasPositiveMeasure),
            new("alli", "al", HasPositiveMeasure),
            new("entli", "ent", HasPositiveMeasure),
            new("eli", "e", HasPositiveMeasure),
            new("ousli", "ous", HasPositiveMeasure),
            new("ization", "ize", HasPositiveMeasure),
            new("ation", "ate", HasPositiveMeasure),
            new("ator", "ate", HasPositiveMeasure),
            new("alism", "al", HasPositiveMeasure),
            new("iveness", "ive", HasPositiveMeasure),
            new("fulness", "ful", HasPositiveMeasure),
            new("ousness", "ous", HasPositiveMeasure),
            new("aliti", "al", HasPositiveMeasure),
            new("iviti", "ive", HasPositiveMeasure),
            new("biliti", "ble", HasPositiveMeasure),
            new("fulli", "ful", HasPositiveMeasure),
            // NLTK keeps the 'l' of 'logi' with the stem so that short stems such as 'geo' qualify.
            new("logi", "log", _ => HasPositiveMeasure(word[..^3])),
        ]);
    }

    private static string Step3(string word) => ApplyRules(word,
    [
        new("icate", "ic", HasPositiveMeasure),
        new("ative", "", HasPositiveMeasure),
        new("alize", "al", HasPositiveMeasure),
        new("iciti", "ic", HasPositiveMeasure),
        new("ical", "ic", HasPositiveMeasure),
        new("ful", "", HasPositiveMeasure),
        new("ness", "", HasPositiveMeasure),
    ]);

    private static string Step4(string word)
    {
        static bool MeasureAboveOne(string stem) => Measure(stem) > 1;
        return ApplyRules(word,
        [
            new("al", "", MeasureAboveOne),
            new("ance", "", MeasureAboveOne),
            new("ence", "", MeasureAboveOne),
            new("er", "", MeasureAboveOne),
            new("ic", "", MeasureAboveOne),
            new("able", "", MeasureAboveOne),
            new("ible", "", MeasureAboveOne),
            new("ant", "", MeasureAboveOne),
            new("ement", "", MeasureAboveOne),
            new("ment", "", MeasureAboveOne),
            new("ent", "", MeasureAboveOne),
            new("ion", "", stem => Measure(stem) > 1 && stem.Length > 0 && stem[^1] is 's' or 't'),
            new("ou", "", MeasureAboveOne),
            new("ism", "", MeasureAboveOne),
            new("ate", "", MeasureAboveOne),
            new("iti", "", MeasureAboveOne),
            new("ous", "", MeasureAboveOne),
            new("ive", "", MeasureAboveOne),
            new("ize", "", MeasureAboveOne),
        ]);
    }

    private static string Step5A(string word)
    {
        if (word.EndsWith('e'))
        {
            var stem = word[..^1];
            var m = Measure(stem);
            if (m > 1 || (m == 1 && !EndsCvc(stem)))
            {
                return stem;
            }
        }

        return word;
    }

    private static string Step5B(string word) =>
        ApplyRules(word, [new("ll", "l", _ => Measure(word[..^1]) > 1)]);
}
