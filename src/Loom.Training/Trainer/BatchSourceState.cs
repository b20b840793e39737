using Loom.Core;
using Loom.Training.Data;

namespace Loom.Training;

/// <summary>The position of an <see cref="IBatchSource{TBatch}"/>: a shuffle sampler's position and/or a generator's state.</summary>
/// <param name="Sampler">The epoch-shuffling sampler's position (null when the source has none).</param>
/// <param name="Generator">The state of the generator behind random windows or dynamic masking (null when none).</param>
public sealed record BatchSourceState(SamplerState? Sampler, GeneratorState? Generator);
