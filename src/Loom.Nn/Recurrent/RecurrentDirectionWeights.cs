// The four tensors of one layer and one direction of a recurrent network, named as in torch.nn.RNNBase
// (weight_ih_l{k}[_reverse], weight_hh_l{k}[_reverse], bias_ih_l{k}[_reverse], bias_hh_l{k}[_reverse]).
using Loom.Core;

namespace Loom.Nn;

/// <summary>
/// Parameters of one (layer, direction) of an <see cref="Lstm"/> or <see cref="Gru"/>: the input and hidden projections
/// with the gates stacked along rows (G·H, C) and (G·H, H), and their optional biases (G·H).
/// </summary>
public sealed class RecurrentDirectionWeights
{
    internal RecurrentDirectionWeights(Tensor weightIh, Tensor weightHh, Tensor? biasIh, Tensor? biasHh)
    {
        WeightIh = weightIh;
        WeightHh = weightHh;
        BiasIh = biasIh;
        BiasHh = biasHh;
    }

    /// <summary>(G·H, C): input-to-gates weights, gate blocks stacked in the network's gate order.</summary>
    public Tensor WeightIh { get; }

    /// <summary>(G·H, H): hidden-to-gates weights.</summary>
    public Tensor WeightHh { get; }

    /// <summary>(G·H) or null when the network has no biases.</summary>
    public Tensor? BiasIh { get; }

    /// <summary>(G·H) or null when the network has no biases.</summary>
    public Tensor? BiasHh { get; }
}
