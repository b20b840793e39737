using System.CommandLine;

namespace Loom.Cli.Commands;

/// <summary>
/// <c>loom bench …</c>: speed measurements that print a ratio against a peer measured in the same run.
/// Each benchmark is a subcommand in its own <c>Bench*Command.cs</c> file, registered here.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Measure Loom against a reference implementation in the same run");
        command.Subcommands.Add(BenchGemmCommand.Create());
        command.Subcommands.Add(BenchTokenizeCommand.Create());
        command.Subcommands.Add(BenchTrainStepCommand.Create());
        command.Subcommands.Add(BenchTrainCommand.Create());
        command.Subcommands.Add(BenchTimeToLossCommand.Create());
        command.Subcommands.Add(BenchForwardCommand.Create());
        command.Subcommands.Add(BenchGenerateCommand.Create());
        return command;
    }
}
