namespace Loom.Core;

/// <summary>Which element pairs a rotary embedding rotates together.</summary>
public enum RopeLayout
{
    /// <summary>(i, i + D/2): HF transformers rotate_half (LLaMA, Qwen2, GPT-NeoX).</summary>
    HalfRotation,

    /// <summary>(2i, 2i + 1): GPT-J and llama2.c.</summary>
    Interleaved,
}
