// Block layout from ggml (ggml-common.h, block_q4_0): QK4_0 = 32 values sharing one f16 scale, two per byte.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Loom.Formats.Gguf;

/// <summary>
/// One Q4_0 block as stored in GGUF: a binary16 scale <see cref="Scale"/> and 16 bytes of packed 4-bit values.
/// Byte j holds value j in its low nibble and value j + 16 in its high nibble; value = (nibble − 8) · Scale.
/// 18 bytes, no padding.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct BlockQ4_0
{
    /// <summary>Values per block.</summary>
    public const int Count = 32;

    /// <summary>The block's scale d.</summary>
    public Half Scale;

    /// <summary>16 bytes, each holding two 4-bit values.</summary>
    public PackedQ4_0 Packed;

    /// <summary>The 16 packed bytes of a <see cref="BlockQ4_0"/>.</summary>
    [InlineArray(Count / 2)]
    public struct PackedQ4_0
    {
        private byte _element;
    }
}
