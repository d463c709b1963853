using System.Diagnostics;
using Orlog.Benchmarks.Log;
using Orlog.Grains;
using Orlog.Records;

namespace Orlog.Benchmarks.Streaming;

/// <summary>
/// The Orleans transport's ceiling: the same bytes the producer sends (record batches of 100-byte records,
/// packed by the codec's builder before the clock starts), in produce-shaped requests, through a grain that
/// does nothing, with as many calls in flight as the producer may have (max.in.flight.requests.per.connection = 5).
/// </summary>
internal sealed class TransportCeiling
{
    public const int InFlight = 5;

    private readonly IGrainFactory _grains;
    private readonly ProduceRequest[] _requests;
    private readonly long _recordsPerPass;
    private readonly long _bytesPerPass;

    public TransportCeiling(IGrainFactory grains, int callBytes, long records, int recordBytes)
    {
        _grains = grains;
        CallBytes = callBytes;
        // One distinct batch per call would cost gigabytes for a full run; a few hundred distinct batches,
        // sent round robin, are serialized afresh on every call all the same.
        var sample = BatchPacker.Pack(Math.Min(records * (recordBytes + 8), 64L * 1024 * 1024), recordBytes, callBytes);
        var perBatch = RecordBatchHeader.Read(sample[0]).RecordCount;
        var calls = (int)((records + perBatch - 1) / perBatch);
        _requests = new ProduceRequest[calls];
        for (var i = 0; i < calls; i++)
        {
            var batch = sample[i % sample.Count];
            _requests[i] = new ProduceRequest(1, 30_000, [new PartitionBatch("probe", 0, batch)]);
            _recordsPerPass += RecordBatchHeader.Read(batch).RecordCount;
            _bytesPerPass += batch.Length;
        }
    }

    public int CallBytes { get; }

    public int Calls => _requests.Length;

    public async Task<Rate> RunAsync()
    {
        var probe = _grains.GetGrain<ITransportProbeGrain>(0);
        await probe.Accept(_requests[0]).ConfigureAwait(false);
        var next = -1;
        var watch = Stopwatch.StartNew();
        var lanes = new Task[InFlight];
        for (var lane = 0; lane < lanes.Length; lane++)
        {
            lanes[lane] = Task.Run(async () =>
            {
                int call;
                while ((call = Interlocked.Increment(ref next)) < _requests.Length)
                {
                    await probe.Accept(_requests[call]).ConfigureAwait(false);
                }
            });
        }
        await Task.WhenAll(lanes).ConfigureAwait(false);
        watch.Stop();
        return new Rate(_recordsPerPass, _bytesPerPass, watch.Elapsed);
    }
}

/// <summary>Records and bytes moved in a time.</summary>
internal readonly record struct Rate(long Records, long Bytes, TimeSpan Elapsed)
{
    public double RecordsPerSecond => Records / Elapsed.TotalSeconds;

    public double MegabytesPerSecond => Bytes / Elapsed.TotalSeconds / 1e6;
}
