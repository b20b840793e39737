using Loom.Core;
using Loom.Training.Objectives;

namespace Loom.Training.Recipes;

/// <summary>A question-answering batch: input ids, attention mask and token types (B, T), and the answer's start and end token (B).</summary>
public sealed record QaBatch(TrainingBatch Inputs, IntTensor StartPositions, IntTensor EndPositions);
