namespace Loom.Nn;

/// <summary>How a <see cref="Linear"/> weight is stored.</summary>
public enum LinearLayout
{
    /// <summary>(out, in), as torch.nn.Linear: y = x·Wᵀ + b.</summary>
    OutIn,

    /// <summary>(in, out), as the Conv1D of Hugging Face GPT-2: y = x·W + b.</summary>
    InOut,
}
