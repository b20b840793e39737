// Block layout from ggml (ggml-common.h, block_q8_0): QK8_0 = 32 values sharing one f16 scale.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Loom.Formats.Gguf;

/// <summary>
/// One Q8_0 block as stored in GGUF: a binary16 scale <see cref="Scale"/> and 32 signed bytes; value i is
/// <c>Scale · Quants[i]</c>. 34 bytes, no padding, so a span of blocks can be cast straight from file bytes.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct BlockQ8_0
{
    /// <summary>Values per block.</summary>
    public const int Count = 32;

    /// <summary>The block's scale d.</summary>
    public Half Scale;

    /// <summary>The 32 quantised values.</summary>
    public QuantsQ8_0 Quants;

    /// <summary>The 32 signed 8-bit values of a <see cref="BlockQ8_0"/>.</summary>
    [InlineArray(Count)]
    public struct QuantsQ8_0
    {
        private sbyte _element;
    }
}
