// Multi-layer, optionally bidirectional recurrent network over batch-first sequences, following torch.nn.RNNBase
// (pytorch/pytorch torch/nn/modules/rnn.py): parameter names and layouts, U(-1/√H, 1/√H) initialisation, the layer
// stacking (layer k > 0 reads the D·H concatenation of layer k-1), h_n indexed layer·D + direction, and the semantics
// of pack_padded_sequence for variable lengths: a sequence's state stops changing after its last valid step (the
// reverse direction starts at that step), and padded outputs are zero. Built from Loom.Core ops, so autograd gives
// every gradient.
using System.Globalization;
using Loom.Core;

namespace Loom.Nn;

/// <summary>
/// Shared machinery of <see cref="Lstm"/> and <see cref="Gru"/>: parameters per (layer, direction), the time loop
/// over batch-first input (B, T, C), variable lengths, initial and final states. A subclass supplies the cell.
/// </summary>
public abstract class RecurrentNetwork
{
    private readonly RecurrentDirectionWeights[] _directions;

    /// <summary>
    /// Binds <c>weight_ih_l{k}[_reverse]</c> (G·H, C or D·H), <c>weight_hh_l{k}[_reverse]</c> (G·H, H) and, with
    /// <paramref name="bias"/>, <c>bias_ih_l{k}[_reverse]</c> and <c>bias_hh_l{k}[_reverse]</c> (G·H) directly under
    /// <paramref name="weights"/>, in torch's order. All are initialised U(−1/√H, 1/√H) unless loaded.
    /// </summary>
    protected RecurrentNetwork(Weights weights, int inputSize, int hiddenSize, int numLayers, bool bidirectional, bool bias, int gateCount)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numLayers);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gateCount);
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        NumLayers = numLayers;
        Directions = bidirectional ? 2 : 1;
        GateCount = gateCount;
        var bound = 1f / MathF.Sqrt(hiddenSize);
        var init = Init.Uniform(-bound, bound);
        var rows = gateCount * hiddenSize;
        _directions = new RecurrentDirectionWeights[numLayers * Directions];
        for (var layer = 0; layer < numLayers; layer++)
        {
            var layerInput = layer == 0 ? inputSize : Directions * hiddenSize;
            for (var direction = 0; direction < Directions; direction++)
            {
                var suffix = string.Create(CultureInfo.InvariantCulture, $"_l{layer}{(direction == 1 ? "_reverse" : string.Empty)}");
                var weightIh = weights.Get("weight_ih" + suffix, [rows, layerInput], init);
                var weightHh = weights.Get("weight_hh" + suffix, [rows, hiddenSize], init);
                var biasIh = bias ? weights.Get("bias_ih" + suffix, [rows], init) : null;
                var biasHh = bias ? weights.Get("bias_hh" + suffix, [rows], init) : null;
                _directions[(layer * Directions) + direction] = new RecurrentDirectionWeights(weightIh, weightHh, biasIh, biasHh);
            }
        }
    }

    /// <summary>C: width of the input features.</summary>
    public int InputSize { get; }

    /// <summary>H: width of the hidden state.</summary>
    public int HiddenSize { get; }

    /// <summary>L: number of stacked layers.</summary>
    public int NumLayers { get; }

    /// <summary>D: 2 when bidirectional, else 1.</summary>
    public int Directions { get; }

    /// <summary>G: gates per cell (4 for LSTM, 3 for GRU).</summary>
    public int GateCount { get; }

    /// <summary>Parameters of (layer, direction), index layer·D + direction.</summary>
    public IReadOnlyList<RecurrentDirectionWeights> DirectionWeights => _directions;

    /// <summary>True when the cell carries a second state (LSTM's c).</summary>
    protected abstract bool HasCellState { get; }

    /// <summary>
    /// Lengths (B) from an HF-style padding mask (B, T) of 1 (token) / 0 (padding). Each row must be ones then zeros
    /// (right padding), as pack_padded_sequence assumes; otherwise throws <see cref="ArgumentException"/>.
    /// </summary>
    public static int[] LengthsFromMask(IntTensor paddingMask)
    {
        ArgumentNullException.ThrowIfNull(paddingMask);
        if (paddingMask.Rank != 2)
        {
            throw new TensorShapeException($"Recurrent padding mask: expected (B, T); found [{string.Join(", ", paddingMask.Shape)}].");
        }

        var (batch, time) = (paddingMask.Shape[0], paddingMask.Shape[1]);
        var lengths = new int[batch];
        for (var b = 0; b < batch; b++)
        {
            var length = 0;
            while (length < time && paddingMask[b, length] != 0)
            {
                length++;
            }

            for (var t = length; t < time; t++)
            {
                if (paddingMask[b, t] != 0)
                {
                    throw new ArgumentException($"Recurrent padding mask: expected row {b} to be ones then zeros (right padding); found a 1 at step {t} after a 0 at step {length}.", nameof(paddingMask));
                }
            }

            lengths[b] = length;
        }

        return lengths;
    }

    /// <summary>
    /// One step of the cell for a batch. <paramref name="inputGates"/> = x·W_ihᵀ + b_ih and <paramref name="hiddenGates"/>
    /// = h·W_hhᵀ + b_hh, both (B, G·H); returns the new (h, c), each (B, H) (c null without a cell state).
    /// </summary>
    protected abstract (Tensor Hidden, Tensor? Cell) Step(Tensor inputGates, Tensor hiddenGates, Tensor hidden, Tensor? cell);

    /// <summary>Gate block <paramref name="index"/> of stacked gates (B, G·H) as a view (B, H).</summary>
    protected Tensor Gate(Tensor gates, int index)
    {
        ArgumentNullException.ThrowIfNull(gates);
        return gates.Narrow(1, index * HiddenSize, HiddenSize); // (B, H)
    }

    /// <summary>
    /// Runs every layer and direction over <paramref name="input"/> (B, T, C). <paramref name="lengths"/> (B, each 0..T)
    /// marks valid prefixes (null: all T); <paramref name="hidden0"/> and <paramref name="cell0"/> are (L·D, B, H)
    /// initial states (null: zeros).
    /// </summary>
    protected RecurrentOutput Run(Tensor input, IReadOnlyList<int>? lengths, Tensor? hidden0, Tensor? cell0)
    {
        ArgumentNullException.ThrowIfNull(input);
        var name = GetType().Name;
        if (input.Rank != 3 || input.Size(2) != InputSize || input.Size(1) == 0)
        {
            throw new TensorShapeException($"{name}: expected input (B, T ≥ 1, {InputSize}); found [{string.Join(", ", input.Shape)}].");
        }

        var (batch, time) = (input.Size(0), input.Size(1));
        CheckState(hidden0, "h0", batch);
        if (!HasCellState && cell0 is not null)
        {
            throw new ArgumentException($"{name}: has no cell state; expected c0 = null.", nameof(cell0));
        }

        CheckState(cell0, "c0", batch);
        var masks = StepMasks(lengths, batch, time);
        var layerInput = input;
        var finalHidden = new List<Tensor>(_directions.Length);
        var finalCell = new List<Tensor>(_directions.Length);
        for (var layer = 0; layer < NumLayers; layer++)
        {
            var outputs = new Tensor[Directions];
            for (var direction = 0; direction < Directions; direction++)
            {
                var index = (layer * Directions) + direction;
                var w = _directions[index];
                var h = hidden0 is null ? Tensor.Zeros(batch, HiddenSize) : hidden0.Narrow(0, index, 1).Squeeze(0); // (B, H)
                var c = !HasCellState ? null : cell0 is null ? Tensor.Zeros(batch, HiddenSize) : cell0.Narrow(0, index, 1).Squeeze(0); // (B, H)
                var inputGates = Project(layerInput, w.WeightIh, w.BiasIh); // (B, T, Cin)·(Cin, G·H) → (B, T, G·H)
                var steps = new Tensor[time];
                for (var s = 0; s < time; s++)
                {
                    var t = direction == 0 ? s : time - 1 - s;
                    var gatesIn = inputGates.Narrow(1, t, 1).Squeeze(1); // (B, G·H)
                    var gatesHidden = Project(h, w.WeightHh, w.BiasHh); // (B, H)·(H, G·H) → (B, G·H)
                    var (hNew, cNew) = Step(gatesIn, gatesHidden, h, c);
                    if (masks is null)
                    {
                        (h, c, steps[t]) = (hNew, cNew, hNew);
                    }
                    else
                    {
                        var valid = masks[t]; // (B, 1): 1 where step t is inside the sequence
                        steps[t] = hNew * valid; // (B, H), zero at padding
                        h = Tensor.Where(valid, hNew, h); // (B, H): frozen after the last valid step
                        c = c is null ? null : Tensor.Where(valid, cNew!, c);
                    }
                }

                outputs[direction] = Tensor.Stack(steps, 1); // (B, T, H)
                finalHidden.Add(h);
                if (c is not null)
                {
                    finalCell.Add(c);
                }
            }

            layerInput = Directions == 1 ? outputs[0] : Tensor.Concat(outputs, 2); // (B, T, D·H)
        }

        return new RecurrentOutput(
            layerInput,
            Tensor.Stack(finalHidden, 0), // (L·D, B, H)
            HasCellState ? Tensor.Stack(finalCell, 0) : null); // (L·D, B, H)
    }

    private static Tensor Project(Tensor x, Tensor weight, Tensor? bias)
    {
        var y = x.Matmul(weight.Transpose(0, 1)); // (…, K)·(K, G·H) → (…, G·H)
        return bias is null ? y : y + bias;
    }

    private void CheckState(Tensor? state, string what, int batch)
    {
        if (state is not null && (state.Rank != 3 || state.Size(0) != _directions.Length || state.Size(1) != batch || state.Size(2) != HiddenSize))
        {
            throw new TensorShapeException($"{GetType().Name}: expected {what} (L·D = {_directions.Length}, B = {batch}, H = {HiddenSize}); found [{string.Join(", ", state.Shape)}].");
        }
    }

    private Tensor[]? StepMasks(IReadOnlyList<int>? lengths, int batch, int time)
    {
        if (lengths is null)
        {
            return null;
        }

        if (lengths.Count != batch)
        {
            throw new ArgumentException($"{GetType().Name}: expected {batch} lengths (one per batch row); found {lengths.Count}.", nameof(lengths));
        }

        for (var b = 0; b < batch; b++)
        {
            if (lengths[b] < 0 || lengths[b] > time)
            {
                throw new ArgumentOutOfRangeException(nameof(lengths), $"{GetType().Name}: expected every length in 0..{time}; found {lengths[b]} at batch row {b}.");
            }
        }

        if (lengths.All(l => l == time))
        {
            return null;
        }

        var masks = new Tensor[time];
        for (var t = 0; t < time; t++)
        {
            var values = new float[batch];
            for (var b = 0; b < batch; b++)
            {
                values[b] = t < lengths[b] ? 1f : 0f;
            }

            masks[t] = Tensor.FromArray(values, batch, 1); // (B, 1)
        }

        return masks;
    }
}
