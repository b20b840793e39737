// HF TemperatureLogitsWarper: scores / T (T < 1 sharpens, T > 1 flattens the distribution).
namespace Loom.Generation.Processors;

/// <summary>Divides the scores by a temperature.</summary>
public sealed class TemperatureWarper : ILogitsProcessor
{
    private readonly float _temperature;

    /// <summary>A strictly positive temperature.</summary>
    public TemperatureWarper(float temperature)
    {
        if (!(temperature > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature: expected a strictly positive float (use greedy decoding for 0).");
        }

        _temperature = temperature;
    }

    /// <inheritdoc/>
    public void Process(ReadOnlySpan<int> tokens, int promptLength, Span<float> scores)
    {
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] /= _temperature;
        }
    }
}
