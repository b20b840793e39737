// Position-wise feed-forward block (Vaswani et al. 2017) and its gated variants GLU/SwiGLU/GeGLU (Shazeer 2020,
// "GLU Variants Improve Transformer"): down(act(up(x))) or down(act(gate(x)) ⊙ up(x)).
using Loom.Core;

namespace Loom.Nn;

/// <summary>
/// A two- or three-projection feed-forward block. The projections are built by the model (which knows their checkpoint
/// names: <c>c_fc/c_proj</c>, <c>gate_proj/up_proj/down_proj</c>, <c>wi_0/wi_1/wo</c> …). With a gate it is SwiGLU for
/// <see cref="Activation.Silu"/> and GeGLU for <see cref="Activation.Gelu"/>/<see cref="Activation.GeluTanh"/>.
/// </summary>
public sealed class Mlp
{
    private readonly LinearGroup? _gateAndUp; // gate and up read the same input: one kernel job when decoding

    /// <summary>
    /// Creates the block from its projections: up (C → F), down (F → C) and optionally gate (C → F);
    /// <paramref name="hiddenDropout"/> acts on the F-wide activations before down (BART activation_dropout, T5 dropout_rate).
    /// </summary>
    public Mlp(Linear up, Linear down, Activation activation, Linear? gate = null, Dropout? hiddenDropout = null)
    {
        ArgumentNullException.ThrowIfNull(up);
        ArgumentNullException.ThrowIfNull(down);
        if (up.OutFeatures != down.InFeatures || (gate is not null && (gate.OutFeatures != up.OutFeatures || gate.InFeatures != up.InFeatures)))
        {
            throw new TensorShapeException($"Mlp: projections do not chain: up {up.InFeatures}→{up.OutFeatures}, gate {(gate is null ? "none" : $"{gate.InFeatures}→{gate.OutFeatures}")}, down {down.InFeatures}→{down.OutFeatures}.");
        }

        Up = up;
        Down = down;
        Gate = gate;
        _gateAndUp = gate is null ? null : new LinearGroup(gate, up);
        Activation = activation;
        HiddenDropout = hiddenDropout;
    }

    /// <summary>C → F.</summary>
    public Linear Up { get; }

    /// <summary>F → C.</summary>
    public Linear Down { get; }

    /// <summary>C → F gate, or null for the ungated block.</summary>
    public Linear? Gate { get; }

    /// <summary>The non-linearity.</summary>
    public Activation Activation { get; }

    /// <summary>Dropout on the activations before <see cref="Down"/>, or null.</summary>
    public Dropout? HiddenDropout { get; }

    /// <summary>(…, C) → (…, C).</summary>
    public Tensor Forward(Tensor x)
    {
        var gateAndUp = _gateAndUp?.Forward(x); // [(…, F), (…, F)]
        var hidden = gateAndUp is null
            ? Activation.Apply(Up.Forward(x)) // (…, F)
            : Activation.Apply(gateAndUp[0]) * gateAndUp[1]; // (…, F)
        return Down.Forward(HiddenDropout?.Forward(hidden) ?? hidden); // (…, C)
    }
}
