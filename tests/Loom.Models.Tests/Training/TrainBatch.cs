using Loom.Core;

namespace Loom.Models.Tests.Training;

/// <summary>The keyword inputs of a training fixture (train.json → batch); absent entries are null.</summary>
internal sealed record TrainBatch(IntTensor InputIds, IntTensor? AttentionMask, IntTensor? TokenTypeIds, IntTensor Labels);
