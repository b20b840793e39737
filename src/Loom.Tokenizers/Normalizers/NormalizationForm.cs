namespace Loom.Tokenizers.Normalizers;

/// <summary>The four Unicode normalization forms.</summary>
public enum NormalizationForm
{
    /// <summary>Canonical decomposition, then canonical composition.</summary>
    Nfc,

    /// <summary>Canonical decomposition.</summary>
    Nfd,

    /// <summary>Compatibility decomposition, then canonical composition.</summary>
    Nfkc,

    /// <summary>Compatibility decomposition.</summary>
    Nfkd,
}
