// The settings of `loom train pretrain glm`: GLM autoregressive blank-infilling pretraining of a small GLM on a character
// vocabulary of a text file. The model, data, optimiser and checkpoint settings are the clm recipe's (same names,
// defaults and checks; width is the hidden size, block_size the characters of a row before blanking: a collated row is
// block_size + 2 per span long); mask_ratio and mean_span_length are GLM's masking ratio and Poisson λ (Du et al. 2022
// §2.1: 15% in spans of mean 3 for the BERT-sized blocklm objective).
using System.Globalization;

namespace Loom.Training.Recipes;

/// <summary>GLM blank-infilling pretraining of a GLM-shaped model on a character vocabulary of a text file.</summary>
public sealed record GlmPretrainingConfig
{
    /// <summary>The setting names a config file or the command line may use.</summary>
    public static readonly IReadOnlyList<string> Names = [.. ClmPretrainingConfig.Names, "mask_ratio", "mean_span_length"];

    /// <summary>The settings shared with causal-LM pretraining (text, model size, optimiser, checkpoints, output).</summary>
    public ClmPretrainingConfig Shared { get; init; } = new() { Output = "runs/glm" };

    /// <summary>Fraction of each row's characters blanked into spans (GLM: 0.15).</summary>
    public double MaskRatio { get; init; } = 0.15;

    /// <summary>Poisson λ of the span lengths (GLM: 3).</summary>
    public double MeanSpanLength { get; init; } = 3;

    /// <summary>
    /// Applies <paramref name="settings"/> (name → text, as read from a config file or flags) over the defaults. Throws
    /// <see cref="ArgumentException"/> naming the setting for an unknown name or a value that does not parse.
    /// </summary>
    public static GlmPretrainingConfig FromSettings(IReadOnlyDictionary<string, string> settings)
    {
        RecipeSettings.RequireTask(settings, "GLM blank-infilling pretraining", "glm", "pretrain-glm");
        RecipeSettings.RejectUnknown(settings, Names);
        var defaults = new GlmPretrainingConfig();
        var config = new GlmPretrainingConfig
        {
            Shared = ClmPretrainingConfig.FromSettings(settings, defaults.Shared),
            MaskRatio = RecipeSettings.Number(settings, "mask_ratio", defaults.MaskRatio),
            MeanSpanLength = RecipeSettings.Number(settings, "mean_span_length", defaults.MeanSpanLength),
        };
        config.Validate();
        return config;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        Shared.Validate();
        if (!(MaskRatio is > 0d and < 1d))
        {
            throw new ArgumentException($"Setting 'mask_ratio': expected a fraction in (0, 1); found {MaskRatio.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (!(MeanSpanLength > 0d))
        {
            throw new ArgumentException($"Setting 'mean_span_length': expected > 0; found {MeanSpanLength.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (Math.Round(Shared.BlockSize * MaskRatio, MidpointRounding.ToEven) < 1d)
        {
            throw new ArgumentException($"Setting 'block_size': expected block_size × mask_ratio to round to at least one blanked character; found {Shared.BlockSize} × {MaskRatio.ToString(CultureInfo.InvariantCulture)}.");
        }
    }
}
