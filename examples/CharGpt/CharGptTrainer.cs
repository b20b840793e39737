// Training loop of the example: random windows of the text, next-character cross-entropy, AdamW (no decay on biases
// and norm weights), warmup + cosine schedule to a floor, global-norm clipping at 1.0 — the nanoGPT recipe.
using System.Diagnostics;
using Loom.Core;
using Loom.Nn;

namespace Loom.Examples.CharGpt;

/// <summary>Trains a <see cref="CharGptModel"/> on a text and samples from it.</summary>
public static class CharGptTrainer
{
    /// <summary>Trains for <see cref="CharGptOptions.Steps"/> steps, writing the loss every few steps; returns the losses.</summary>
    public static IReadOnlyList<float> Train(string text, CharGptOptions options, TextWriter log, out CharGptModel model, out CharVocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        vocabulary = new CharVocabulary(text);
        var data = vocabulary.Encode(text);
        if (data.Length <= options.Context + 1)
        {
            throw new ArgumentException($"The text has {data.Length} characters; at least {options.Context + 2} are needed for context {options.Context}.", nameof(text));
        }

        var weights = Weights.Initialize(new Generator(options.Seed));
        model = new CharGptModel(weights, vocabulary.Count, options);
        weights.Training = true; // dropout on while training; off again for sampling below
        var parameters = weights.Parameters.Select(p => p.Value).ToList();
        var optimizer = new AdamW(ParameterGroup.DecayMatricesOnly(parameters, options.WeightDecay), options.LearningRate, beta2: 0.99);
        var schedule = LrSchedule.WarmupCosine(options.WarmupSteps, options.Steps, options.MinLearningRateFraction);
        var sampler = new Generator(options.Seed + 1);
        log.WriteLine($"char-gpt: {data.Length:N0} characters, vocabulary {vocabulary.Count}, {parameters.Sum(p => p.Count):N0} parameters, {options.Steps} steps of {options.BatchSize}×{options.Context}");
        var losses = new List<float>();
        var clock = Stopwatch.StartNew();
        for (var step = 0; step < options.Steps; step++)
        {
            var (inputs, targets) = Batch(data, options, sampler);
            schedule.Apply(optimizer, options.LearningRate, step);
            optimizer.ZeroGrad();
            var logits = model.Forward(inputs); // (B, T, V)
            var loss = Losses.CrossEntropy(logits.Reshape(-1, vocabulary.Count), targets); // (B·T, V) vs (B·T)
            var value = loss.Item();
            if (!float.IsFinite(value))
            {
                throw new ArithmeticException($"Loss became {value} at step {step}.");
            }

            loss.Backward();
            var norm = GradientClipping.ClipGlobalNorm(parameters, 1f);
            optimizer.Step();
            losses.Add(value);
            if (step % options.LogEvery == 0 || step == options.Steps - 1)
            {
                log.WriteLine($"step {step,5}  loss {value:F4}  grad-norm {norm:F3}  lr {optimizer.LearningRate:0.00e+0}  {clock.Elapsed.TotalSeconds,6:F1}s");
            }
        }

        weights.Training = false;
        return losses;
    }

    /// <summary>Samples <paramref name="count"/> characters after <paramref name="prompt"/> at the given temperature.</summary>
    public static string Sample(CharGptModel model, CharVocabulary vocabulary, string prompt, int count, float temperature, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(generator);
        var ids = vocabulary.Encode(prompt).ToList();
        using (Tensor.NoGrad())
        {
            for (var i = 0; i < count; i++)
            {
                var window = ids.Skip(Math.Max(0, ids.Count - model.Options.Context)).ToArray();
                var logits = model.Forward(IntTensor.FromArray(window, 1, window.Length)); // (1, T, V)
                var last = logits.Narrow(1, window.Length - 1, 1).Reshape(-1) / temperature; // (V)
                var probabilities = last.Softmax(0).ToArray();
                var u = generator.NextSingle();
                var next = 0;
                for (var cumulative = probabilities[0]; cumulative < u && next < probabilities.Length - 1; cumulative += probabilities[++next])
                {
                }

                ids.Add(next);
            }
        }

        return vocabulary.Decode(ids);
    }

    private static (IntTensor Inputs, IntTensor Targets) Batch(int[] data, CharGptOptions options, Generator generator)
    {
        var (b, t) = (options.BatchSize, options.Context);
        var inputs = new int[b * t];
        var targets = new int[b * t];
        for (var row = 0; row < b; row++)
        {
            var start = generator.NextInt(data.Length - t - 1);
            Array.Copy(data, start, inputs, row * t, t);
            Array.Copy(data, start + 1, targets, row * t, t);
        }

        return (IntTensor.FromArray(inputs, b, t), IntTensor.FromArray(targets, b * t));
    }
}
