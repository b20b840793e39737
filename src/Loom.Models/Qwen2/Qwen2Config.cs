// Qwen2 hyper-parameters (HF transformers/models/qwen2/configuration_qwen2.py): LLaMA's keys, q/k/v projections with
// biases (o_proj without), and an optional sliding window that this implementation does not support.
using System.Text.Json.Serialization;

namespace Loom.Models.Qwen2;

/// <summary>A Qwen2 <c>config.json</c>: the LLaMA configuration with q/k/v biases.</summary>
public sealed class Qwen2Config : Llama.LlamaConfig
{
    /// <summary>Sliding-window attention switch; only false is supported.</summary>
    [JsonPropertyName("use_sliding_window")]
    public bool UseSlidingWindow { get; init; }

    /// <inheritdoc/>
    public override string Architecture => "Qwen2ForCausalLM";

    /// <inheritdoc/>
    public override bool QkvBias => true;

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        if (UseSlidingWindow)
        {
            throw new ModelLoadException($"{Architecture} config: use_sliding_window = true is not supported; expected false.");
        }
    }
}
