namespace Loom.Kernels.Tests;

/// <summary>
/// <see cref="HugePages.Advise"/>: values never change; where Linux has transparent huge pages (and MADV_COLLAPSE, 6.1+)
/// the inner chunks are collapsed and really mapped as huge pages (the process's AnonHugePages covers them); elsewhere it
/// reports nothing.
/// </summary>
public class HugePagesTests
{
    [Fact]
    public void AdviceKeepsEveryValueAndReportsOnlyWhatTheKernelMapped()
    {
        var values = new float[5 * HugePages.PageBytes / sizeof(float)]; // 10 MiB: at least four whole huge pages
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = i * 0.5f;
        }

        var collapsed = HugePages.Advise(values);

        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal(i * 0.5f, values[i]);
        }

        Assert.Equal(0, collapsed % HugePages.PageBytes);
        if (!ThpAvailable())
        {
            Assert.Equal(0, collapsed);
            return;
        }

        if (Environment.OSVersion.Version >= new Version(6, 1)) // MADV_COLLAPSE exists: the inner chunks must be collapsed
        {
            Assert.True(collapsed >= 4L * HugePages.PageBytes, $"only {collapsed} bytes collapsed");
        }

        Assert.True(AnonHugePageBytes() >= collapsed, $"{collapsed} bytes reported collapsed, {AnonHugePageBytes()} mapped as huge pages.");
        GC.KeepAlive(values);
    }

    [Fact]
    public void ArraysUnderOneHugePageAreLeftAlone()
    {
        Assert.Equal(0, HugePages.Advise(new byte[HugePages.PageBytes - 1]));
        Assert.Throws<ArgumentNullException>(() => HugePages.Advise<float>(null!));
    }

    /// <summary>Linux built with transparent huge pages (MADV_COLLAPSE then works whatever the sysfs mode says).</summary>
    private static bool ThpAvailable() => OperatingSystem.IsLinux() && File.Exists("/sys/kernel/mm/transparent_hugepage/enabled");

    private static long AnonHugePageBytes()
    {
        var line = File.ReadLines("/proc/self/smaps_rollup").First(l => l.StartsWith("AnonHugePages:", StringComparison.Ordinal));
        return 1024 * long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
