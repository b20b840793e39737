// Reproduces ../shared/fixtures/train (HF transformers 4.44.2 + torch 1.13.1, copied to tests/testdata/train) with the
// src/Loom.Models models: the loss, the gradient of every parameter and 10 AdamW steps with global-norm clipping,
// within the tolerances the fixture README suggests (tolerances.json → suggested), in the spirit of llm.c's test_gpt2.c.
using System.Text.Json;
using Loom.Core;
using Loom.Formats.Safetensors;
using Loom.Nn;
using Xunit.Abstractions;

namespace Loom.Models.Tests.Training;

public sealed class TrainingFixtureTests(ITestOutputHelper output)
{
    /// <summary>Fixtures whose params_after_step1.safetensors is committed (left out elsewhere to keep the test data small).</summary>
    private static readonly HashSet<string> StepOneShipped = ["gpt2", "t5"];

    public static TheoryData<string> Models => ["gpt2", "llama_gqa", "bert_mlm", "t5", "t5_v1_1"];

    /// <summary>
    /// t5 (README 4.2: chaotic, gradient norm 1128 so clipping scales every gradient by 8.9e-4). At step 0 a gradient
    /// whose reference value lies within the per-tensor gradient tolerance (3e-4 · max|g_ref| + 5e-7, the float32
    /// round-off floor of that tensor) has a sign float32 does not determine, yet AdamW's first update is
    /// lr · g/(|g| + eps) ≈ ±lr whatever |g|: one such element, encoder.block.0.layer.0.SelfAttention.q.weight[1160]
    /// (HF +9.3e-4, Loom −2.8e-3, float64 −2.4e-5 by an independent float64 torch rerun: Loom's sign is the true one),
    /// moves 2·lr the other way, which shifts HF's step-1 loss by 9e-4 and its step-2 loss by 0.12 from the float64
    /// trajectory (Loom: 2e-4 and 0.018), beyond the README's step-1/2 bounds. So for t5 the elements whose sign
    /// disagrees take the reference's step-0 gradient (every disagreement must be sign-undetermined, else the test
    /// fails); from that common point Loom must reproduce HF's steps 0–2, the step-1 parameters and the sanity bounds
    /// of tolerances.json. tests/testdata/train/PROVENANCE.md has the measurements.
    /// </summary>
    private static readonly HashSet<string> SignSynchronised = ["t5"];

    public static TheoryData<string> Trajectories => ["gpt2", "llama_gqa", "bert_mlm", "t5", "t5_v1_1"];

    [Theory]
    [MemberData(nameof(Models))]
    public void Model_uses_exactly_the_checkpoint_tensors(string name)
    {
        var fixture = TrainFixture.Load(name);
        var model = TrainableModel.Load(fixture);
        using var checkpoint = SafetensorsCheckpoint.Open(fixture.PathOf("model.safetensors"));
        Assert.Equal(checkpoint.Names.Order(StringComparer.Ordinal), model.Parameters.Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Loss_and_every_gradient_match(string name)
    {
        var fixture = TrainFixture.Load(name);
        var model = TrainableModel.Load(fixture);

        var loss = model.Loss(fixture.Batch);
        loss.Backward();

        Assert.InRange(Math.Abs(loss.Item() - fixture.Loss), 0d, fixture.Suggested.GetProperty("loss_step0_rtol").GetDouble() * Math.Abs(fixture.Loss));
        var rule = fixture.Suggested.GetProperty("grads_per_tensor");
        var (rtol, atol) = (rule.GetProperty("rtol_of_tensor_max").GetDouble(), rule.GetProperty("atol").GetDouble());
        using var grads = SafetensorsCheckpoint.Open(fixture.PathOf("grads.safetensors"));
        var failures = new List<string>();
        var worst = 0d;
        foreach (var (key, parameter) in model.Parameters)
        {
            var expected = grads.ReadFloat32(key);
            var actual = parameter.Grad?.ToArray();
            if (actual is null)
            {
                failures.Add($"{key}: expected a gradient (reference max |g| = {expected.Max(Math.Abs):g3}); found none");
                continue;
            }

            var maxRef = expected.Max(Math.Abs);
            var maxDiff = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
            worst = Math.Max(worst, maxDiff / ((rtol * maxRef) + atol));
            if (maxDiff > (rtol * maxRef) + atol)
            {
                failures.Add($"{key}: max |Δg| = {maxDiff:g3} > {rtol} · {maxRef:g3} + {atol}");
            }
        }

        output.WriteLine($"{name}: loss {loss.Item()} vs {fixture.Loss}; worst tensor uses {worst:P1} of its allowed gradient error");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(Trajectories))]
    public void Ten_AdamW_steps_with_clipping_match(string name)
    {
        var failures = RunTenSteps(TrainFixture.Load(name), learningRate: 1e-3);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>
    /// The t5 bounds still catch a wrong optimizer: 10 % too large a learning rate (a missing bias correction would be
    /// 216 % too large at step 1: (1 − β1)/√(1 − β2) = 3.16) moves the step-1 loss by ~0.16 and the step-1 parameters by 1e-4.
    /// </summary>
    [Fact]
    public void The_t5_trajectory_check_fails_with_a_learning_rate_10_percent_off()
    {
        var failures = RunTenSteps(TrainFixture.Load("t5"), learningRate: 1.1e-3);
        Assert.Contains(failures, f => f.StartsWith("loss at step 1", StringComparison.Ordinal));
    }

    private List<string> RunTenSteps(TrainFixture fixture, double learningRate)
    {
        var model = TrainableModel.Load(fixture);
        var parameters = model.Parameters.Select(p => p.Value).ToList();
        var optimizer = new AdamW(parameters, learningRate, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01);
        var failures = new List<string>();
        var losses = new float[10];
        var norms = new float[10];
        for (var step = 0; step < 10; step++)
        {
            optimizer.ZeroGrad();
            var loss = model.Loss(fixture.Batch);
            losses[step] = loss.Item();
            loss.Backward();
            if (step == 0 && SignSynchronised.Contains(fixture.Name))
            {
                failures.AddRange(TakeReferenceSignWhereUndetermined(model, fixture));
            }

            norms[step] = GradientClipping.ClipGlobalNorm(parameters, 1f);
            optimizer.Step();
            if (step == 0 && StepOneShipped.Contains(fixture.Name))
            {
                failures.AddRange(CheckParameters(model, fixture, "params_after_step1.safetensors", fixture.Suggested.GetProperty("params_after_step1_atol").GetDouble()));
            }
        }

        output.WriteLine($"{fixture.Name}: max |Δloss| = {losses.Zip(fixture.Losses, (a, e) => Math.Abs(a - e)).Max():g3}, max |Δnorm| = {norms.Zip(fixture.GradNorms, (a, e) => Math.Abs(a - e)).Max():g3}");
        var lossRule = fixture.Suggested.GetProperty("train_losses");
        failures.AddRange(CheckScalars(lossRule, losses, fixture.Losses, "loss"));
        failures.AddRange(CheckScalars(fixture.Suggested.GetProperty("grad_norms_pre_clip"), norms, fixture.GradNorms, "grad norm"));
        failures.AddRange(CheckParameters(model, fixture, "params_after.safetensors", fixture.Suggested.GetProperty("params_after_atol").GetDouble()));
        float after;
        using (Tensor.NoGrad())
        {
            after = model.Loss(fixture.Batch).Item();
        }

        if (lossRule.TryGetProperty("step2_atol", out var step2))
        {
            // Chaotic fixture: step 2 has its own bound; later losses and the final one are sanity checks (README 4.2).
            failures.AddRange(CheckScalars(lossRule, losses, fixture.Losses, "loss", [2], step2.GetDouble()));
            if (!(float.IsFinite(after) && after < fixture.Losses[0]))
            {
                failures.Add($"loss after training {after}: expected finite and below the initial {fixture.Losses[0]}");
            }
        }
        else if (Math.Abs(after - fixture.LossAfterTraining) > lossRule.GetProperty("atol").GetDouble() + (lossRule.GetProperty("rtol").GetDouble() * Math.Abs(fixture.LossAfterTraining)))
        {
            failures.Add($"loss after training {after} vs reference {fixture.LossAfterTraining}");
        }

        return failures;
    }

    /// <summary>
    /// Gives every element whose step-0 gradient has the other sign than the reference's the reference value, provided
    /// the reference lies within its tensor's gradient tolerance (sign undetermined in float32); a disagreement outside
    /// that band is returned as a failure.
    /// </summary>
    private List<string> TakeReferenceSignWhereUndetermined(TrainableModel model, TrainFixture fixture)
    {
        var rule = fixture.Suggested.GetProperty("grads_per_tensor");
        var (rtol, atol) = (rule.GetProperty("rtol_of_tensor_max").GetDouble(), rule.GetProperty("atol").GetDouble());
        using var grads = SafetensorsCheckpoint.Open(fixture.PathOf("grads.safetensors"));
        var failures = new List<string>();
        foreach (var (key, parameter) in model.Parameters)
        {
            var expected = grads.ReadFloat32(key);
            var undetermined = (rtol * expected.Max(Math.Abs)) + atol;
            var actual = parameter.Grad!.AsSpan();
            for (var i = 0; i < expected.Length; i++)
            {
                if (actual[i] * expected[i] >= 0f)
                {
                    continue;
                }

                if (Math.Abs(expected[i]) > undetermined)
                {
                    failures.Add($"{key}[{i}]: gradient {actual[i]} has the other sign than the reference {expected[i]} (|g_ref| above the round-off band {undetermined:g3})");
                }

                output.WriteLine($"{fixture.Name}: {key}[{i}] gradient {actual[i]:g3} takes the reference {expected[i]:g3} (sign undetermined: |g_ref| ≤ {undetermined:g3})");
                actual[i] = expected[i];
            }
        }

        return failures;
    }

    private static IEnumerable<string> CheckScalars(JsonElement rule, float[] actual, float[] expected, string what, int[]? steps = null, double? atolOverride = null)
    {
        var (atol, rtol) = (atolOverride ?? rule.GetProperty("atol").GetDouble(), rule.GetProperty("rtol").GetDouble());
        foreach (var step in steps ?? [.. rule.GetProperty("steps").EnumerateArray().Select(s => s.GetInt32())])
        {
            var allowed = atol + (rtol * Math.Abs(expected[step]));
            if (Math.Abs(actual[step] - expected[step]) > allowed)
            {
                yield return $"{what} at step {step}: {actual[step]} vs reference {expected[step]} (allowed ±{allowed:g3})";
            }
        }
    }

    private List<string> CheckParameters(TrainableModel model, TrainFixture fixture, string file, double atol)
    {
        var keyBiasAtol = fixture.Suggested.TryGetProperty("key_bias_elements_atol", out var k) && k.ValueKind == JsonValueKind.Number ? k.GetDouble() : atol;
        using var reference = SafetensorsCheckpoint.Open(fixture.PathOf(file));
        var failures = new List<string>();
        var largest = 0d;
        var where = "";
        foreach (var (key, parameter) in model.Parameters)
        {
            var expected = reference.ReadFloat32(key);
            var actual = parameter.ToArray();
            for (var i = 0; i < expected.Length; i++)
            {
                var diff = Math.Abs(actual[i] - expected[i]);
                if (!fixture.IsKeyBias(key, i) && diff > largest)
                {
                    (largest, where) = (diff, $"{key}[{i}] {actual[i]} vs {expected[i]}");
                }

                var allowed = fixture.IsKeyBias(key, i) ? keyBiasAtol : atol;
                if (!(diff <= allowed))
                {
                    failures.Add($"{file} {key}[{i}]: {actual[i]} vs reference {expected[i]} (allowed ±{allowed})");
                    break;
                }
            }
        }

        output.WriteLine($"{fixture.Name}: {file} max |Δp| (key-bias elements excluded) = {largest:g3} at {where}");
        return failures;
    }
}
