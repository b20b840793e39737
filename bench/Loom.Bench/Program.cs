using BenchmarkDotNet.Running;

// BenchmarkDotNet entry point: `dotnet run -c Release --project bench/Loom.Bench -- --filter '*'`.
// Ratio benchmarks against peers (OpenBLAS, HF tokenizers, tiktoken) are `./loom bench …` commands.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
