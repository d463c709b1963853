using BenchmarkDotNet.Attributes;
using Orlog.Log;

namespace Orlog.Benchmarks.Log;

/// <summary>
/// The append hot path with BenchmarkDotNet's memory diagnoser (one operation = one 16 KiB batch of
/// 100-byte records, validated, offset-stamped and written to the page cache). The append path itself
/// allocates nothing; what the diagnoser counts with the default index interval is the sparse index's
/// own entries (kept, not garbage), which the int.MaxValue case leaves out.
/// </summary>
[MemoryDiagnoser]
public class AppendBenchmarks
{
    private const int BatchesPerInvoke = 256;
    private List<byte[]> _batches = [];
    private string _directory = "";
    private PartitionLog? _log;

    /// <summary>index.interval.bytes: 4096 (the default) adds an index entry per batch; int.MaxValue adds none.</summary>
    [Params(4096, int.MaxValue)]
    public int IndexIntervalBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _batches = BatchPacker.Pack(BatchesPerInvoke * 16L * 1024, 100, 16 * 1024);
        _directory = Path.Combine(Path.GetTempPath(), "orlog-bench-append-" + Guid.NewGuid().ToString("N"));
        // One segment (1 GiB, the default) for the whole run: a roll's work (opening files, a producer
        // snapshot) is per segment, not per batch, and is left out here.
        _log = PartitionLog.Open(_directory, new LogConfig { FlushMs = long.MaxValue, IndexIntervalBytes = IndexIntervalBytes });
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

    [GlobalCleanup]
    public void Cleanup()
    {
        _log?.Delete();
    }
}
