// The settings of `loom train pretrain mlm`: masked-LM pretraining of a small BERT on a character vocabulary of a text
// file. The model, data, optimiser and checkpoint settings are those of the clm recipe (same names, same defaults, same
// checks; width is BERT's hidden size, block_size its sequence length with [CLS] and [SEP]); mask_probability is added.
using System.Globalization;

namespace Loom.Training.Recipes;

/// <summary>Masked-LM pretraining of a BERT-shaped model on a character vocabulary of a text file.</summary>
public sealed record MlmPretrainingConfig
{
    /// <summary>The setting names a config file or the command line may use.</summary>
    public static readonly IReadOnlyList<string> Names = [.. ClmPretrainingConfig.Names, "mask_probability"];

    /// <summary>The settings shared with causal-LM pretraining (text, model size, optimiser, checkpoints, output).</summary>
    public ClmPretrainingConfig Shared { get; init; } = new() { Output = "runs/mlm" };

    /// <summary>Probability that a character is chosen for prediction (BERT: 0.15; 80% [MASK], 10% random, 10% kept).</summary>
    public double MaskProbability { get; init; } = 0.15;

    /// <summary>
    /// Applies <paramref name="settings"/> (name → text, as read from a config file or flags) over the defaults. Throws
    /// <see cref="ArgumentException"/> naming the setting for an unknown name or a value that does not parse.
    /// </summary>
    public static MlmPretrainingConfig FromSettings(IReadOnlyDictionary<string, string> settings)
    {
        RecipeSettings.RequireTask(settings, "masked-LM pretraining", "mlm", "pretrain-mlm");
        RecipeSettings.RejectUnknown(settings, Names);
        var defaults = new MlmPretrainingConfig();
        var config = new MlmPretrainingConfig
        {
            Shared = ClmPretrainingConfig.FromSettings(settings, defaults.Shared),
            MaskProbability = RecipeSettings.Number(settings, "mask_probability", defaults.MaskProbability),
        };
        config.Validate();
        return config;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        Shared.Validate();
        if (!(MaskProbability is > 0d and <= 1d))
        {
            throw new ArgumentException($"Setting 'mask_probability': expected a probability in (0, 1]; found {MaskProbability.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (Shared.BlockSize < 3)
        {
            throw new ArgumentException($"Setting 'block_size': expected ≥ 3 ([CLS], a character, [SEP]); found {Shared.BlockSize}.");
        }
    }
}
