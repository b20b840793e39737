// Hierarchical parameter naming in the style of candle's VarBuilder (`vb.pp("layer.0")`) and Hugging Face state-dict
// keys (`encoder.layer.0.attention.self.query.weight`): modules ask a scope for a named tensor, and the root decides
// whether it is read from a checkpoint or freshly initialised.
using Loom.Core;
using Loom.Formats.Safetensors;

namespace Loom.Nn;

/// <summary>
/// A scope in a tree of named parameters. <see cref="Scope(string)"/> descends (<c>"encoder"</c> → <c>"encoder.layer.0"</c>);
/// <see cref="Get"/> returns the parameter at <c>prefix.name</c>, loading it from the checkpoint or initialising it,
/// and records it (once, even when asked twice — that is how tied weights are shared) for the optimizer and the state
/// dict. All scopes of a tree share one train/eval mode (evaluation until set: dropout off, so inference and
/// conformance runs need no switch; a training loop or the Trainer sets <see cref="Training"/>) and one generator.
/// </summary>
public sealed class Weights
{
    private readonly WeightStore _store;

    private Weights(WeightStore store, string prefix)
    {
        _store = store;
        Prefix = prefix;
    }

    /// <summary>The dotted name of this scope ("" at the root).</summary>
    public string Prefix { get; }

    /// <summary>Training mode (dropout active) when true, evaluation mode (the default) when false. Shared by the whole tree.</summary>
    public bool Training
    {
        get => _store.Training;
        set => _store.Training = value;
    }

    /// <summary>The generator used by initialisers and by dropout.</summary>
    public Generator Generator => _store.Generator;

    /// <summary>True when parameters come from a checkpoint rather than initialisers.</summary>
    public bool IsLoading => _store.Checkpoint is not null;

    /// <summary>Every parameter created so far in the tree (all scopes), in creation order, with its full name.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> Parameters => _store.Parameters;

    /// <summary>A root whose parameters are initialised from <paramref name="generator"/>.</summary>
    public static Weights Initialize(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return new Weights(new WeightStore(null, generator), string.Empty);
    }

    /// <summary>
    /// A root whose parameters are initialised from <paramref name="generator"/>, except the matrices that
    /// <paramref name="quantized"/> returns for a full name and shape: layers that support it (<see cref="Linear"/>,
    /// <see cref="Embedding"/>) keep those quantised, inference only (see <see cref="GetQuantized"/>).
    /// </summary>
    public static Weights Initialize(Generator generator, Func<string, int[], QuantizedMatrix?> quantized)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(quantized);
        return new Weights(new WeightStore(null, generator, quantized), string.Empty);
    }

    /// <summary>
    /// A root whose parameters are read from <paramref name="checkpoint"/> (the caller keeps ownership of it and must
    /// keep it open while the model is built). <paramref name="generator"/> drives dropout (default seed 0).
    /// </summary>
    public static Weights FromCheckpoint(SafetensorsCheckpoint checkpoint, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return new Weights(new WeightStore(checkpoint, generator ?? new Generator(0)), string.Empty);
    }

    /// <summary>The child scope <c>prefix.name</c>; <paramref name="name"/> may itself contain dots.</summary>
    public Weights Scope(string name)
    {
        CheckName(name);
        return new Weights(_store, Join(name));
    }

    /// <summary>The child scope <c>prefix.index</c> (layer lists: <c>h.0</c>, <c>layer.11</c>).</summary>
    public Weights Scope(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return Scope(index.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The parameter <c>prefix.name</c> of <paramref name="shape"/>: the existing one if already created, else read
    /// from the checkpoint (throws <see cref="StateDictException"/> naming the key when absent or of another shape), else
    /// filled by <paramref name="init"/>.
    /// </summary>
    public Tensor Get(string name, int[] shape, Init init)
    {
        CheckName(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(init);
        if (shape.Any(d => d < 0))
        {
            throw new ArgumentOutOfRangeException(nameof(shape), $"Parameter '{Join(name)}': shape {WeightStore.Format(shape)} has a negative size.");
        }

        return _store.GetOrCreate(Join(name), shape, init);
    }

    /// <summary>
    /// The quantised (<paramref name="rows"/>, <paramref name="columns"/>) matrix <c>prefix.name</c> when the root was
    /// made with a quantised source that holds one (the same object when asked twice, as tied weights are), else null:
    /// the caller then binds a float32 parameter with <see cref="Get"/>. Quantised matrices are not in
    /// <see cref="Parameters"/> (no optimizer sees them); they are listed in <see cref="QuantizedParameters"/>.
    /// </summary>
    public QuantizedMatrix? GetQuantized(string name, int rows, int columns)
    {
        CheckName(name);
        return _store.GetQuantized(Join(name), rows, columns);
    }

    /// <summary>Every quantised matrix bound so far in the tree, in creation order, with its full name.</summary>
    public IReadOnlyList<KeyValuePair<string, QuantizedMatrix>> QuantizedParameters => _store.QuantizedParameters;

    /// <summary>
    /// Asks the OS to back every large parameter and quantised matrix of the tree with huge pages (Linux transparent huge
    /// pages, see <see cref="Loom.Kernels.HugePages"/>): weights that are streamed once per decoded token read faster so.
    /// Loaders call it once the model is built; returns the bytes collapsed (0 where the OS declines). Values are unchanged.
    /// </summary>
    public long AdviseHugePages() =>
        _store.Parameters.Sum(p => p.Value.AdviseHugePages()) + _store.QuantizedParameters.Sum(p => p.Value.AdviseHugePages());

    /// <summary>
    /// After the model is built from a checkpoint: throws <see cref="StateDictException"/> listing every checkpoint
    /// tensor the model did not use, unless <paramref name="ignore"/> accepts it (e.g. non-persistent buffers).
    /// </summary>
    public void EnsureAllCheckpointKeysUsed(Func<string, bool>? ignore = null)
    {
        var unused = _store.UnusedCheckpointKeys().Where(k => ignore is null || !ignore(k)).ToList();
        if (unused.Count > 0)
        {
            throw new StateDictException($"Unexpected key{(unused.Count > 1 ? "s" : string.Empty)} in the checkpoint, not used by the model: {string.Join(", ", unused.Select(k => $"'{k}'"))}.");
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"Weights('{Prefix}', {_store.Parameters.Count} parameters)";

    private string Join(string name) => Prefix.Length == 0 ? name : Prefix + "." + name;

    private static void CheckName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name.StartsWith('.') || name.EndsWith('.') || name.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"A parameter or scope name must be non-empty dotted words; found '{name}'.", nameof(name));
        }
    }
}
