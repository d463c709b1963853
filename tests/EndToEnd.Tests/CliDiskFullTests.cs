using System.Diagnostics;

namespace Orlog.EndToEnd.Tests;

/// <summary>
/// A silo whose data directory's disk fills up: `orlog produce` ends with KAFKA_STORAGE_ERROR and the disk's own
/// words, not a bare timeout, and does not hang (a batch stuck behind a failed one once left its Flush waiting forever). The disk is a small tmpfs mounted for the test (the suite runs as root, as the fault
/// campaign does).
/// </summary>
public sealed class CliDiskFullTests : IAsyncLifetime
{
    private readonly string _mount = Path.Combine(Path.GetTempPath(), "orlog-e2e-full", Guid.NewGuid().ToString("N"));
    private bool _mounted;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_mount);
        await RunAsync("mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", _mount);
        _mounted = true;
    }

    public async Task DisposeAsync()
    {
        if (_mounted)
        {
            await RunAsync("umount", "-l", _mount);
        }
        Directory.Delete(_mount, recursive: true);
        var parent = Path.GetDirectoryName(_mount)!;
        if (!Directory.EnumerateFileSystemEntries(parent).Any())
        {
            Directory.Delete(parent);
        }
    }

    [Fact]
    public async Task A_full_disk_fails_a_produce_with_KAFKA_STORAGE_ERROR_naming_the_cause()
    {
        await using var silo = await SiloProcess.StartAsync(Path.Combine(_mount, "data"));
        var created = await OrlogCli.RunAsync(silo.Bootstrap, "topics", "create", "full", "--partitions", "1");
        Assert.True(created.ExitCode == 0, created.Stderr);
        // 20 MB of records into a 12 MB disk, with a short delivery timeout so the failure shows in seconds.
        var line = new string('x', 100) + "\n";
        var input = string.Concat(Enumerable.Repeat(line, 200_000));
        var produced = await OrlogCli.RunWithInputAsync(silo.Bootstrap, input, "produce", "full",
            "-X", "delivery.timeout.ms=5000", "-X", "request.timeout.ms=2000", "-X", "linger.ms=0");
        Assert.Equal(1, produced.ExitCode);
        Assert.Contains("KAFKA_STORAGE_ERROR", produced.Stderr);
        Assert.Contains("No space left on device", produced.Stderr);
    }

    private static async Task RunAsync(string command, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(command, args) { RedirectStandardError = true })!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{command} {string.Join(' ', args)}: {stderr}");
    }
}
