using Loom.Core;

namespace Loom.Models.Conformance;

/// <summary>One expected output: a float tensor (scalars for losses) or integer sequences (e.g. derived ids).</summary>
public sealed record ExpectedValue(Tensor? Floats, IntTensor? Integers);
