// HF GenerationConfig.early_stopping (beam search): True, False, or "never".
namespace Loom.Generation;

/// <summary>When a beam search over one input stops.</summary>
public enum EarlyStopping
{
    /// <summary>HF <c>False</c>: stop when no running beam can beat the worst kept hypothesis at the current length.</summary>
    Heuristic,

    /// <summary>HF <c>True</c>: stop as soon as <c>num_beams</c> hypotheses are finished.</summary>
    Always,

    /// <summary>HF <c>"never"</c>: the canonical beam-search stopping rule (best attainable score at the maximum length).</summary>
    Never,
}
