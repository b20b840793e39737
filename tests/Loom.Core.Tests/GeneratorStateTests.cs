namespace Loom.Core.Tests;

/// <summary>A generator restored from a saved state continues the exact stream of the original.</summary>
public sealed class GeneratorStateTests
{
    [Fact]
    public void Restored_generator_continues_the_same_stream_including_a_cached_normal()
    {
        var original = new Generator(42);
        _ = original.NextUInt64();
        _ = original.NextNormal(); // leaves the second Box–Muller value cached
        var saved = original.State;
        Assert.True(saved.HasSpareNormal);
        var expected = new[] { original.NextNormal(), original.NextDouble(), original.NextNormal() };

        var restored = new Generator(7) { State = saved };
        var actual = new[] { restored.NextNormal(), restored.NextDouble(), restored.NextNormal() };
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void An_all_zero_state_is_rejected()
    {
        var generator = new Generator(1);
        var error = Assert.Throws<ArgumentException>(() => generator.State = new GeneratorState(0, 0, 0, 0, 0d, false));
        Assert.Contains("must not all be zero", error.Message, StringComparison.Ordinal);
    }
}
