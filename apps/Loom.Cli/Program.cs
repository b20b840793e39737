using System.CommandLine;
using Loom.Cli.Commands;

var root = new RootCommand("Loom — a transformer language-model toolkit for .NET");
root.Subcommands.Add(VersionCommand.Create());

return root.Parse(args).Invoke();
