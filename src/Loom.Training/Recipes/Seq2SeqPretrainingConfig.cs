// The settings of `loom train pretrain seq2seq`: denoising pretraining of a small encoder-decoder on a character
// vocabulary of a text file. The model, data, optimiser and checkpoint settings are the clm recipe's (same names,
// defaults and checks; layers is the depth of each stack, width d_model, block_size the length of the encoder's
// uncorrupted rows); objective picks BART text infilling or T5 span corruption, noise_density and mean_span_length
// their noise (defaults: BART's 0.3 and λ = 3, T5's 0.15 and 3).
namespace Loom.Training.Recipes;

/// <summary>Denoising pretraining of a BART- or T5-shaped model on a character vocabulary of a text file.</summary>
public sealed record Seq2SeqPretrainingConfig
{
    /// <summary>The setting names a config file or the command line may use.</summary>
    public static readonly IReadOnlyList<string> Names = [.. ClmPretrainingConfig.Names, "objective", "noise_density", "mean_span_length"];

    /// <summary>The settings shared with causal-LM pretraining (text, model size, optimiser, checkpoints, output).</summary>
    public ClmPretrainingConfig Shared { get; init; } = new() { Output = "runs/seq2seq" };

    /// <summary>bart or t5.</summary>
    public Seq2SeqObjective Objective { get; init; } = Seq2SeqObjective.Bart;

    /// <summary>Fraction of characters noised (BART infilling ratio, T5 noise density).</summary>
    public double NoiseDensity { get; init; } = 0.3;

    /// <summary>Mean noise span length (BART's Poisson λ, T5's mean span).</summary>
    public double MeanSpanLength { get; init; } = 3;

    /// <summary>
    /// Applies <paramref name="settings"/> (name → text, as read from a config file or flags) over the defaults. Throws
    /// <see cref="ArgumentException"/> naming the setting for an unknown name or a value that does not parse.
    /// </summary>
    public static Seq2SeqPretrainingConfig FromSettings(IReadOnlyDictionary<string, string> settings)
    {
        RecipeSettings.RequireTask(settings, "encoder-decoder denoising pretraining", "seq2seq", "pretrain-seq2seq");
        RecipeSettings.RejectUnknown(settings, Names);
        var defaults = new Seq2SeqPretrainingConfig();
        var objective = RecipeSettings.Choice(settings, "objective", defaults.Objective);
        var config = new Seq2SeqPretrainingConfig
        {
            Shared = ClmPretrainingConfig.FromSettings(settings, defaults.Shared),
            Objective = objective,
            NoiseDensity = RecipeSettings.Number(settings, "noise_density", objective == Seq2SeqObjective.T5 ? 0.15 : 0.3),
            MeanSpanLength = RecipeSettings.Number(settings, "mean_span_length", defaults.MeanSpanLength),
        };
        config.Validate();
        return config;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        Shared.Validate();
        if (!(NoiseDensity is > 0d and < 1d))
        {
            throw new ArgumentException($"Setting 'noise_density': expected a fraction in (0, 1); found {NoiseDensity.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }

        if (!(MeanSpanLength >= 1d))
        {
            throw new ArgumentException($"Setting 'mean_span_length': expected ≥ 1; found {MeanSpanLength.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }

        if (Shared.BlockSize < 4)
        {
            throw new ArgumentException($"Setting 'block_size': expected ≥ 4 (room for noise and kept characters); found {Shared.BlockSize}.");
        }
    }
}
