using BenchmarkDotNet.Attributes;
using Orlog.Log;

namespace Orlog.Benchmarks.Log;

/// <summary>
/// The append hot path with BenchmarkDotNet's memory diagnoser: the allocated bytes per operation show
/// that appending a batch allocates nothing (one operation = one 16 KiB batch of 100-byte records,
/// validated, offset-stamped and written to the page cache).
/// </summary>
[MemoryDiagnoser]
public class AppendBenchmarks
{
    private const int BatchesPerInvoke = 256;
    private List<byte[]> _batches = [];
    private string _directory = "";
    private PartitionLog? _log;

    [GlobalSetup]
    public void Setup()
    {
        _batches = BatchPacker.Pack(BatchesPerInvoke * 16L * 1024, 100, 16 * 1024);
        _directory = Path.Combine(Path.GetTempPath(), "orlog-bench-append-" + Guid.NewGuid().ToString("N"));
        // Segments of 64 MiB keep the benchmark's disk use bounded; rolls are part of what it measures.
        _log = PartitionLog.Open(_directory, new LogConfig { FlushMs = long.MaxValue, SegmentBytes = 64 * 1024 * 1024, RetentionBytes = 128L * 1024 * 1024 });
    }

    [Benchmark(OperationsPerInvoke = BatchesPerInvoke)]
    public long AppendBatch()
    {
        long end = 0;
        foreach (var batch in _batches)
        {
            end = _log!.AppendAsLeader(batch, 0).NextOffset;
        }
        return end;
    }

    [IterationCleanup]
    public void Trim() => _log!.EnforceRetention();

    [GlobalCleanup]
    public void Cleanup()
    {
        _log?.Delete();
    }
}
