using Loom.Core;

namespace Loom.Nn.Tests.Fixtures;

/// <summary>A model rebuilt from a training fixture: its parameter tree and the HF loss on a batch.</summary>
internal interface ITrainableModel
{
    /// <summary>The parameters, named as in model.safetensors.</summary>
    Weights Weights { get; }

    /// <summary>The scalar loss HF computes for <c>model(**batch).loss</c>.</summary>
    Tensor Loss(TrainBatch batch);
}
