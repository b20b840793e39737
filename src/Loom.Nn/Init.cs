// Parameter initialisers with the semantics of torch.nn.init (normal_, uniform_, xavier_*, kaiming_*, trunc_normal_);
// fan-in / fan-out follow torch's _calculate_fan_in_and_fan_out: dim 1 × receptive field and dim 0 × receptive field.
// Xavier: Glorot & Bengio 2010. Kaiming: He et al. 2015.
using Loom.Core;

namespace Loom.Nn;

/// <summary>
/// How a freshly created parameter is filled. Every initialiser draws from an explicit <see cref="Generator"/>, so the
/// same seed gives the same bits.
/// </summary>
public sealed class Init
{
    private readonly Action<Span<float>, IReadOnlyList<int>, Generator> _fill;

    private Init(string description, Action<Span<float>, IReadOnlyList<int>, Generator> fill)
    {
        Description = description;
        _fill = fill;
    }

    /// <summary>A short human-readable description, e.g. <c>normal(0, 0.02)</c>.</summary>
    public string Description { get; }

    /// <summary>All zeros.</summary>
    public static Init Zeros { get; } = Constant(0f);

    /// <summary>All ones.</summary>
    public static Init Ones { get; } = Constant(1f);

    /// <summary>Every element equal to <paramref name="value"/>.</summary>
    public static Init Constant(float value) => new($"constant({value})", (span, _, _) => span.Fill(value));

    /// <summary>Normal(mean, std²).</summary>
    public static Init Normal(float std, float mean = 0f)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(std);
        return new($"normal({mean}, {std})", (span, _, rng) => FillNormal(span, rng, mean, std));
    }

    /// <summary>Uniform on [low, high).</summary>
    public static Init Uniform(float low, float high)
    {
        if (!(low <= high))
        {
            throw new ArgumentOutOfRangeException(nameof(high), high, $"Uniform init: expected low ≤ high; found low = {low}, high = {high}.");
        }

        return new($"uniform({low}, {high})", (span, _, rng) => FillUniform(span, rng, low, high));
    }

    /// <summary>
    /// Normal(mean, std²) restricted to [low, high] by redrawing (torch.nn.init.trunc_normal_; defaults cut at ±2 std as
    /// in BERT/ViT code).
    /// </summary>
    public static Init TruncatedNormal(float std, float mean = 0f, float? low = null, float? high = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(std);
        var lo = low ?? (mean - (2f * std));
        var hi = high ?? (mean + (2f * std));
        if (!(lo < hi))
        {
            throw new ArgumentOutOfRangeException(nameof(high), hi, $"Truncated normal: expected low < high; found [{lo}, {hi}].");
        }

        return new($"trunc_normal({mean}, {std}, [{lo}, {hi}])", (span, _, rng) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                float value;
                do
                {
                    value = (float)(mean + (std * rng.NextNormal()));
                }
                while (value < lo || value > hi);
                span[i] = value;
            }
        });
    }

    /// <summary>Xavier/Glorot uniform: U(−a, a) with a = gain·√(6 / (fan_in + fan_out)).</summary>
    public static Init XavierUniform(float gain = 1f) => new($"xavier_uniform({gain})", (span, shape, rng) =>
    {
        var (fanIn, fanOut) = Fans(shape, "XavierUniform");
        var bound = gain * MathF.Sqrt(6f / (fanIn + fanOut));
        FillUniform(span, rng, -bound, bound);
    });

    /// <summary>Xavier/Glorot normal: N(0, std²) with std = gain·√(2 / (fan_in + fan_out)).</summary>
    public static Init XavierNormal(float gain = 1f) => new($"xavier_normal({gain})", (span, shape, rng) =>
    {
        var (fanIn, fanOut) = Fans(shape, "XavierNormal");
        FillNormal(span, rng, 0f, gain * MathF.Sqrt(2f / (fanIn + fanOut)));
    });

    /// <summary>
    /// Kaiming/He uniform: U(−b, b) with b = gain·√(3 / fan), gain = √(2 / (1 + a²)) (leaky-ReLU slope a; a = 0 is ReLU).
    /// nn.Linear's default is a = √5, i.e. U(−1/√fan_in, 1/√fan_in).
    /// </summary>
    public static Init KaimingUniform(float a = 0f, bool fanIn = true) => new($"kaiming_uniform(a={a})", (span, shape, rng) =>
    {
        var bound = KaimingStd(shape, a, fanIn, "KaimingUniform") * MathF.Sqrt(3f);
        FillUniform(span, rng, -bound, bound);
    });

    /// <summary>Kaiming/He normal: N(0, std²) with std = √(2 / (1 + a²)) / √fan.</summary>
    public static Init KaimingNormal(float a = 0f, bool fanIn = true) => new($"kaiming_normal(a={a})", (span, shape, rng) =>
        FillNormal(span, rng, 0f, KaimingStd(shape, a, fanIn, "KaimingNormal")));

    /// <summary>Fills <paramref name="destination"/>, a parameter of <paramref name="shape"/>.</summary>
    public void Fill(Span<float> destination, IReadOnlyList<int> shape, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(generator);
        _fill(destination, shape, generator);
    }

    /// <inheritdoc/>
    public override string ToString() => Description;

    /// <summary>(fan_in, fan_out) of a weight of rank ≥ 2: (dim 1, dim 0) times the product of the remaining dims.</summary>
    public static (int FanIn, int FanOut) Fans(IReadOnlyList<int> shape, string where = "Init")
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Count < 2)
        {
            throw new ArgumentException($"{where}: fan-in/fan-out need a weight of rank ≥ 2; found shape [{string.Join(", ", shape)}].", nameof(shape));
        }

        var receptive = 1;
        for (var i = 2; i < shape.Count; i++)
        {
            receptive *= shape[i];
        }

        return (shape[1] * receptive, shape[0] * receptive);
    }

    private static float KaimingStd(IReadOnlyList<int> shape, float a, bool fanIn, string where)
    {
        var (fi, fo) = Fans(shape, where);
        var gain = MathF.Sqrt(2f / (1f + (a * a)));
        return gain / MathF.Sqrt(fanIn ? fi : fo);
    }

    private static void FillUniform(Span<float> span, Generator rng, float low, float high)
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = low + ((high - low) * rng.NextSingle());
        }
    }

    private static void FillNormal(Span<float> span, Generator rng, float mean, float std)
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = (float)(mean + (std * rng.NextNormal()));
        }
    }
}
