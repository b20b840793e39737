using System.CommandLine;
using Loom.Cli.Commands;

var root = new RootCommand("Loom — a transformer language-model toolkit for .NET");
root.Subcommands.Add(VersionCommand.Create());
root.Subcommands.Add(ConformanceCommand.Create());
root.Subcommands.Add(ModelInfoCommand.Create());
root.Subcommands.Add(TokenizeCommand.Create());
root.Subcommands.Add(TokenizerCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(InspectCommand.Create());
root.Subcommands.Add(GenerateCommand.Create());
root.Subcommands.Add(TrainCommand.Create());

return root.Parse(args).Invoke();
