
using Loom.Metrics.Text;
namespace Loom.Metrics.Qa;

/// <summary>Data-set scores of the CMRC 2018 evaluator.</summary>
/// <param name="F1">Mean F1, 0–100.</param>
/// <param name="ExactMatch">Exact-match rate, 0–100.</param>
/// <param name="Total">Number of questions.</param>
/// <param name="Skipped">Questions without a prediction (scored 0).</param>
public sealed record Cmrc2018Result(double F1, double ExactMatch, int Total, int Skipped)
{
    /// <summary>The script's <c>AVERAGE</c>: <c>(EM + F1) * 0.5</c>.</summary>
    public double Average => (ExactMatch + F1) * 0.5;

    /// <summary>A value as the script prints it (<c>'%.3f'</c>).</summary>
    public static string Format(double value) => Text.PyFloat.Fixed(value, 3);
}
