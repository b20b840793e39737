// Usage: dotnet run --project examples/CharGpt -c Release -- [text-file] [steps]
// Trains a ≈110k-parameter character-level GPT on tiny Shakespeare (default: ../shared/data/tinyshakespeare/input.txt)
// and prints the loss every few steps, then a short sample.
using Loom.Core;
using Loom.Examples.CharGpt;

var path = args.Length > 0 ? args[0] : FindDefaultText();
var steps = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 300;
if (!File.Exists(path))
{
    Console.Error.WriteLine($"char-gpt: text file '{path}' not found (pass a path as the first argument).");
    return 1;
}

var options = new CharGptOptions { Steps = steps, WarmupSteps = Math.Max(1, steps / 10) };
var losses = CharGptTrainer.Train(File.ReadAllText(path), options, Console.Out, out var model, out var vocabulary);
Console.WriteLine($"loss: first {losses[0]:F4}, mean of last 10 {losses.TakeLast(10).Average():F4}");
Console.WriteLine("sample: " + CharGptTrainer.Sample(model, vocabulary, "\n", 200, 0.8f, new Generator(7)));
return 0;

static string FindDefaultText()
{
    foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "data", "tinyshakespeare", "input.txt"), Path.Combine(dir.FullName, "..", "shared", "data", "tinyshakespeare", "input.txt") })
            {
                if (File.Exists(candidate))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }
    }

    return Path.Combine("..", "shared", "data", "tinyshakespeare", "input.txt");
}
