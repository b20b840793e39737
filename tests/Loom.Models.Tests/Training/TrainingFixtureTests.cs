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
    private static readonly HashSet<string> StepOneShipped = ["gpt2"];

    public static TheoryData<string> Models => ["gpt2", "llama_gqa", "bert_mlm", "t5", "t5_v1_1"];

    /// <summary>
    /// Fixtures whose 10-step trajectory is checked. Not t5: its README calls the trajectory chaotic, and after one AdamW
    /// step element 1160 of encoder.block.0.layer.0.SelfAttention.q.weight lands 2·lr from the reference: its reference
    /// gradient is 9.3e-4 against a tensor maximum of 111 (inside the per-tensor gradient tolerance), and Loom's has the
    /// other sign, so Adam's first ±lr step goes the other way (suggested bound 1e-3). Loss and every gradient match above.
    /// </summary>
    public static TheoryData<string> Trajectories => ["gpt2", "llama_gqa", "bert_mlm", "t5_v1_1"];

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
        var fixture = TrainFixture.Load(name);
        var model = TrainableModel.Load(fixture);
        var parameters = model.Parameters.Select(p => p.Value).ToList();
        var optimizer = new AdamW(parameters, learningRate: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01);
        var losses = new float[10];
        var norms = new float[10];
        for (var step = 0; step < 10; step++)
        {
            optimizer.ZeroGrad();
            var loss = model.Loss(fixture.Batch);
            losses[step] = loss.Item();
            loss.Backward();
            norms[step] = GradientClipping.ClipGlobalNorm(parameters, 1f);
            optimizer.Step();
            if (step == 0 && StepOneShipped.Contains(name))
            {
                CheckParameters(model, fixture, "params_after_step1.safetensors", fixture.Suggested.GetProperty("params_after_step1_atol").GetDouble());
            }
        }

        output.WriteLine($"{name}: max |Δloss| = {losses.Zip(fixture.Losses, (a, e) => Math.Abs(a - e)).Max():g3}, max |Δnorm| = {norms.Zip(fixture.GradNorms, (a, e) => Math.Abs(a - e)).Max():g3}");
        CheckScalars(fixture.Suggested.GetProperty("train_losses"), losses, fixture.Losses, "loss");
        CheckScalars(fixture.Suggested.GetProperty("grad_norms_pre_clip"), norms, fixture.GradNorms, "grad norm");
        CheckParameters(model, fixture, "params_after.safetensors", fixture.Suggested.GetProperty("params_after_atol").GetDouble());
        float after;
        using (Tensor.NoGrad())
        {
            after = model.Loss(fixture.Batch).Item();
        }

        var lossRule = fixture.Suggested.GetProperty("train_losses");
        Assert.InRange(Math.Abs(after - fixture.LossAfterTraining), 0d,
            lossRule.GetProperty("atol").GetDouble() + (lossRule.GetProperty("rtol").GetDouble() * Math.Abs(fixture.LossAfterTraining)));
    }

    private static void CheckScalars(JsonElement rule, float[] actual, float[] expected, string what)
    {
        var (atol, rtol) = (rule.GetProperty("atol").GetDouble(), rule.GetProperty("rtol").GetDouble());
        foreach (var step in rule.GetProperty("steps").EnumerateArray().Select(s => s.GetInt32()))
        {
            var allowed = atol + (rtol * Math.Abs(expected[step]));
            Assert.True(Math.Abs(actual[step] - expected[step]) <= allowed,
                $"{what} at step {step}: {actual[step]} vs reference {expected[step]} (allowed ±{allowed:g3})");
        }
    }

    private void CheckParameters(TrainableModel model, TrainFixture fixture, string file, double atol)
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
                if (!fixture.IsKeyBias(key, i) && Math.Abs(actual[i] - expected[i]) > largest)
                {
                    largest = Math.Abs(actual[i] - expected[i]);
                    where = $"{key}[{i}] {actual[i]} vs {expected[i]}";
                }

                var allowed = fixture.IsKeyBias(key, i) ? keyBiasAtol : atol;
                if (Math.Abs(actual[i] - expected[i]) > allowed)
                {
                    failures.Add($"{file} {key}[{i}]: {actual[i]} vs reference {expected[i]} (allowed ±{allowed})");
                    break;
                }
            }
        }

        output.WriteLine($"{fixture.Name}: {file} max |Δp| (key-bias elements excluded) = {largest:g3} at {where}");

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
