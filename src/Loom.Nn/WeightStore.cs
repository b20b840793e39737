using Loom.Core;
using Loom.Formats.Safetensors;

namespace Loom.Nn;

/// <summary>
/// The state shared by every scope of one <see cref="Weights"/> tree: the parameters in creation order, where new ones
/// come from (a checkpoint or the initialisers), which checkpoint tensors were used, and the train/eval mode.
/// </summary>
internal sealed class WeightStore(SafetensorsCheckpoint? checkpoint, Generator generator, Func<string, int[], QuantizedMatrix?>? quantizedSource = null)
{
    private readonly List<KeyValuePair<string, QuantizedMatrix>> _quantized = [];

    private readonly List<KeyValuePair<string, Tensor>> _ordered = [];
    private readonly Dictionary<string, Tensor> _byName = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public SafetensorsCheckpoint? Checkpoint { get; } = checkpoint;

    public Generator Generator { get; } = generator;

    public bool Training { get; set; }

    public IReadOnlyList<KeyValuePair<string, Tensor>> Parameters => _ordered;

    public IReadOnlyList<KeyValuePair<string, QuantizedMatrix>> QuantizedParameters => _quantized;

    /// <summary>The quantised matrix <paramref name="name"/> from the quantised source (recorded once), or null.</summary>
    public QuantizedMatrix? GetQuantized(string name, int rows, int columns)
    {
        var existing = _quantized.FirstOrDefault(p => p.Key == name).Value;
        var matrix = existing ?? (_byName.ContainsKey(name) ? null : quantizedSource?.Invoke(name, [rows, columns]));
        if (matrix is null)
        {
            return null;
        }

        if (matrix.Rows != rows || matrix.Columns != columns)
        {
            throw new StateDictException($"Parameter '{name}' is requested with shape [{rows}, {columns}] but the quantised source holds [{matrix.Rows}, {matrix.Columns}].");
        }

        if (existing is null)
        {
            _quantized.Add(new(name, matrix));
        }

        return matrix;
    }

    public Tensor GetOrCreate(string name, int[] shape, Init init)
    {
        if (_byName.TryGetValue(name, out var existing))
        {
            if (!existing.Shape.SequenceEqual(shape))
            {
                throw new StateDictException($"Parameter '{name}' is requested with shape {Format(shape)} but was already created with shape {Format(existing.Shape)}.");
            }

            return existing;
        }

        var values = Checkpoint is null ? Initialize(shape, init) : Load(name, shape);
        var tensor = Tensor.FromArray(values, shape);
        tensor.RequiresGrad = true;
        _byName.Add(name, tensor);
        _ordered.Add(new(name, tensor));
        return tensor;
    }

    public IReadOnlyList<string> UnusedCheckpointKeys() =>
        Checkpoint is null ? [] : [.. Checkpoint.Names.Where(n => !_used.Contains(n)).Order(StringComparer.Ordinal)];

    private float[] Initialize(int[] shape, Init init)
    {
        var values = new float[shape.Aggregate(1, (a, b) => a * b)];
        init.Fill(values, shape, Generator);
        return values;
    }

    private float[] Load(string name, int[] shape)
    {
        if (!Checkpoint!.Contains(name))
        {
            throw new StateDictException($"Missing key '{name}': the model needs a tensor of shape {Format(shape)} and the checkpoint has none by that name.");
        }

        var entry = Checkpoint.Find(name).Entry;
        if (!entry.Shape.Select(d => (int)d).SequenceEqual(shape))
        {
            throw new StateDictException($"Shape mismatch for '{name}': the model expects {Format(shape)}, the checkpoint holds {entry.ShapeText}.");
        }

        _used.Add(name);
        return Checkpoint.ReadFloat32(name);
    }

    internal static string Format(IEnumerable<int> shape) => "[" + string.Join(", ", shape) + "]";
}
