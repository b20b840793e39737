// Linear layers that read the same input — q, k and v of self-attention, gate and up of a gated MLP — run together.
// While decoding (a few rows of input, no gradient) their products are one kernel job (Tensor.TryLinearGroup), which
// saves the per-product start and stop of the worker pool; otherwise, and always when training, each layer runs its own
// Forward. The results are the same bits either way.
using Loom.Core;

namespace Loom.Nn;

/// <summary>Several <see cref="Linear"/> layers of one input width applied to the same input.</summary>
public sealed class LinearGroup
{
    private readonly Linear[] _members;

    /// <summary>Groups <paramref name="members"/> (at least one, all of one input width).</summary>
    /// <exception cref="TensorShapeException">The input widths differ.</exception>
    public LinearGroup(params Linear[] members)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentOutOfRangeException.ThrowIfZero(members.Length);
        foreach (var member in members)
        {
            ArgumentNullException.ThrowIfNull(member);
            if (member.InFeatures != members[0].InFeatures)
            {
                throw new TensorShapeException($"LinearGroup: every layer reads the same input; found input widths {string.Join(", ", members.Select(m => m.InFeatures))}.");
            }
        }

        _members = [.. members];
    }

    /// <summary>The layers, in the order of <see cref="Forward"/>'s results.</summary>
    public IReadOnlyList<Linear> Members => _members;

    /// <summary>(…, in) → one (…, out_i) per layer, exactly <c>Members[i].Forward(x)</c>.</summary>
    public Tensor[] Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var maps = new LinearMap[_members.Length];
        for (var i = 0; i < _members.Length; i++)
        {
            if (_members[i].Map is not { } map)
            {
                return Separately(x);
            }

            maps[i] = map;
        }

        return x.Rank >= 1 && x.Size(-1) == _members[0].InFeatures && x.TryLinearGroup(maps) is { } grouped ? grouped : Separately(x);
    }

    private Tensor[] Separately(Tensor x) => [.. _members.Select(member => member.Forward(x))];
}
