// Numerically stable softmax and log-softmax over one row of scores, in double (max subtracted first); −∞ entries get
// probability 0.
namespace Loom.Generation;

/// <summary>Row softmax helpers for the generation layer.</summary>
public static class Softmax
{
    /// <summary>Probabilities of <paramref name="scores"/>.</summary>
    public static double[] Compute(ReadOnlySpan<float> scores)
    {
        var result = new double[scores.Length];
        Compute(scores, result);
        return result;
    }

    /// <summary>Writes the probabilities of <paramref name="scores"/> into the first scores.Length entries of <paramref name="destination"/>.</summary>
    public static void Compute(ReadOnlySpan<float> scores, Span<double> destination)
    {
        var max = double.NegativeInfinity;
        foreach (var s in scores)
        {
            max = Math.Max(max, s);
        }

        var result = destination[..scores.Length];
        var sum = 0.0;
        for (var i = 0; i < scores.Length; i++)
        {
            result[i] = Math.Exp(scores[i] - max);
            sum += result[i];
        }

        for (var i = 0; i < result.Length; i++)
        {
            result[i] /= sum;
        }
    }

    /// <summary>log_softmax(<paramref name="scores"/>) written into <paramref name="destination"/> as float32.</summary>
    public static void Log(ReadOnlySpan<float> scores, Span<float> destination)
    {
        var max = double.NegativeInfinity;
        foreach (var s in scores)
        {
            max = Math.Max(max, s);
        }

        var sum = 0.0;
        foreach (var s in scores)
        {
            sum += Math.Exp(s - max);
        }

        var logSum = max + Math.Log(sum);
        for (var i = 0; i < scores.Length; i++)
        {
            destination[i] = (float)(scores[i] - logSum);
        }
    }
}
