using System.CommandLine;
using System.Reflection;

namespace Loom.Cli.Commands;

/// <summary><c>loom version</c>: prints the tool version and the SIMD paths this machine offers.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print Loom's version and the vector instruction sets in use");
        command.SetAction(_ =>
        {
            var version = Assembly.GetExecutingAssembly().GetName().Version;
            Console.WriteLine($"loom {version}");
            Console.WriteLine($"Vector512: {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}, " +
                              $"Vector256: {System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated}, " +
                              $"cores: {Environment.ProcessorCount}");
        });
        return command;
    }
}
