using Microsoft.Extensions.Time.Testing;
using Orlog.Log.Storage;

namespace Orlog.Log.Tests;

/// <summary>A temp partition directory, a fake clock and a way to open and reopen the log in it.</summary>
internal sealed class LogFixture : IDisposable
{
    private readonly TempDirectory _temp = new();

    public LogFixture(LogConfig? config = null, IFileSystem? fileSystem = null)
    {
        Config = config ?? new LogConfig();
        FileSystem = fileSystem ?? PhysicalFileSystem.Instance;
        Log = Open();
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.FromUnixTimeMilliseconds(TestBatches.BaseTime));

    public LogConfig Config { get; set; }

    public IFileSystem FileSystem { get; set; }

    public string Directory => _temp.Partition();

    public PartitionLog Log { get; private set; }

    public PartitionLog Open() => PartitionLog.Open(Directory, Config, new PartitionLogOptions { FileSystem = FileSystem, Time = Time });

    /// <summary>Closes cleanly and opens again.</summary>
    public PartitionLog Reopen()
    {
        Log.Dispose();
        return Log = Open();
    }

    /// <summary>Opens again without a clean close, as after a crash: the old instance is abandoned, its marker never written.</summary>
    public PartitionLog ReopenAfterCrash(Action? whileDown = null)
    {
        Abandon(Log);
        whileDown?.Invoke();
        return Log = Open();
    }

    /// <summary>Stops the background flusher, to hold open the window between an append and its flush.</summary>
    public static void PauseFlusher(PartitionLog log)
    {
        var flags = System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance;
        var stop = (CancellationTokenSource)typeof(PartitionLog).GetField("_stopFlusher", flags)!.GetValue(log)!;
        var flusher = (Task)typeof(PartitionLog).GetField("_flusher", flags)!.GetValue(log)!;
        stop.Cancel();
        flusher.GetAwaiter().GetResult();
    }

    /// <summary>Closes the files without the clean-shutdown work, as a killed process would leave them.</summary>
    public static void Abandon(PartitionLog log)
    {
        var failure = typeof(PartitionLog).GetField("_failure", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        failure.SetValue(log, new IOException("simulated crash"));
        log.Dispose();
    }

    public string SegmentPath(long baseOffset) => LogFileNames.SegmentFile(Directory, baseOffset);

    public void Dispose()
    {
        Log.Dispose();
        _temp.Dispose();
    }
}
