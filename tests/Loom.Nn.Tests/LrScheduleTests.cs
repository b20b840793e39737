// The schedules against ../shared/fixtures/train/schedules.json (transformers 4.44.2 get_*_schedule_with_warmup,
// copied to tests/testdata/train): every learning rate for steps 0..100 must be the same IEEE double.
using System.Text.Json;

namespace Loom.Nn.Tests;

public sealed class LrScheduleTests
{
    [Theory]
    [InlineData("cosine")]
    [InlineData("linear")]
    public void Schedule_equals_transformers_exactly(string kind)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(TestData.Path("schedules.json")));
        var root = document.RootElement;
        var (baseLr, warmup, total) = (root.GetProperty("base_lr").GetDouble(), root.GetProperty("num_warmup_steps").GetInt32(), root.GetProperty("num_training_steps").GetInt32());
        var schedule = kind == "cosine" ? LrSchedule.WarmupCosine(warmup, total) : LrSchedule.LinearWarmupLinearDecay(warmup, total);
        var steps = root.GetProperty("steps").EnumerateArray().Select(s => s.GetInt32()).ToArray();
        var lr = root.GetProperty(kind).GetProperty("lr").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var lambda = root.GetProperty(kind).GetProperty("lr_lambda").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(101, steps.Length);
        for (var i = 0; i < steps.Length; i++)
        {
            Assert.Equal(lambda[i], schedule.Factor(steps[i]));
            Assert.Equal(lr[i], schedule.LearningRate(baseLr, steps[i]));
        }
    }

    [Fact]
    public void Cosine_floor_ends_at_the_floor_and_keeps_the_warmup()
    {
        var schedule = LrSchedule.WarmupCosine(10, 100, floor: 0.1);
        Assert.Equal(0.5, schedule.Factor(5));
        Assert.Equal(1d, schedule.Factor(10));
        Assert.Equal(0.1, schedule.Factor(100), 15);
        Assert.Equal(0.55, schedule.Factor(55), 15);
    }

    [Fact]
    public void Inverse_sqrt_decays_as_one_over_root_step_after_warmup()
    {
        // transformers' get_inverse_sqrt_schedule: timescale = warmup, so the factor is √(W / k) for k ≥ W.
        var schedule = LrSchedule.InverseSqrt(4);
        Assert.Equal(0.25, schedule.Factor(1));
        Assert.Equal(1d, schedule.Factor(4));
        Assert.Equal(0.5, schedule.Factor(16));
        Assert.Equal(Math.Sqrt(4d / 9d), schedule.Factor(9), 15);
    }

    [Fact]
    public void Constant_is_one_and_bad_arguments_throw()
    {
        Assert.Equal(1d, LrSchedule.Constant().Factor(1234));
        Assert.Throws<ArgumentOutOfRangeException>(() => LrSchedule.WarmupCosine(20, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => LrSchedule.Constant().Factor(-1));
    }
}
