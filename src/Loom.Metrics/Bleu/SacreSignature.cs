// sacrebleu's reproducibility signature. Reference: sacrebleu 2.6.0 sacrebleu/metrics/base.py (Signature.format):
// "key:value" pairs joined by '|', version always last, booleans as yes/no, short form uses abbreviations.
namespace Loom.Metrics.Bleu;

/// <summary>A sacrebleu-style signature such as <c>nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0</c>.</summary>
public sealed class SacreSignature
{
    /// <summary>The sacrebleu version whose behaviour Loom reproduces (printed in every signature).</summary>
    public const string SacreBleuVersion = "2.6.0";

    private readonly List<(string Name, string Abbreviation, string Value)> _fields = [];

    /// <summary>Starts a signature with the number of references (<c>var</c> when it varies per segment).</summary>
    public SacreSignature(string numRefs) => _fields.Add(("nrefs", "#", numRefs));

    /// <summary>Appends one field (in display order).</summary>
    public SacreSignature Add(string name, string abbreviation, string value)
    {
        _fields.Add((name, abbreviation, value));
        return this;
    }

    /// <summary>The signature string; <paramref name="shortForm"/> uses the abbreviated keys.</summary>
    public string Format(bool shortForm = false)
    {
        var parts = _fields.Select(f => $"{(shortForm ? f.Abbreviation : f.Name)}:{f.Value}")
            .Append($"{(shortForm ? "v" : "version")}:{SacreBleuVersion}");
        return string.Join('|', parts);
    }

    /// <inheritdoc/>
    public override string ToString() => Format();

    /// <summary>"yes"/"no" as sacrebleu prints booleans.</summary>
    public static string YesNo(bool value) => value ? "yes" : "no";
}
