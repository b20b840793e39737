namespace Loom.Training;

/// <summary>The learning-rate schedule after warmup (see <see cref="Loom.Nn.LrSchedule"/>).</summary>
public enum ScheduleKind
{
    /// <summary>Linear warmup, then constant.</summary>
    Constant,

    /// <summary>Linear warmup, then linear decay to zero at the last step.</summary>
    Linear,

    /// <summary>Linear warmup, then half a cosine down to the floor at the last step.</summary>
    Cosine,
}
