using CsCheck;
using Orlog.Records;

namespace Orlog.Log.Tests;

/// <summary>
/// Random sequences of appends, rolls, truncations, retention passes, clean reopenings, crashes and torn
/// tails, checked after every step against a model: the list of batches the log must hold.
/// </summary>
public sealed class LogModelPropertyTests
{
    private abstract record Op;

    private sealed record Append(int Records, int ValueSize) : Op;

    private sealed record Truncate(double Fraction) : Op;

    private sealed record Retain(double KeepFraction) : Op;

    private sealed record Reopen : Op;

    private sealed record Crash : Op;

    private sealed record TornTail(int Bytes) : Op;

    private static readonly Gen<Op> _op = Gen.Frequency(
        (12, Gen.Select(Gen.Int[1, 12], Gen.Int[0, 200], (records, size) => (Op)new Append(records, size))),
        (2, Gen.Double[0, 1].Select(f => (Op)new Truncate(f))),
        (2, Gen.Double[0, 1].Select(f => (Op)new Retain(f))),
        (1, Gen.Const((Op)new Reopen())),
        (1, Gen.Const((Op)new Crash())),
        (1, Gen.Int[1, 80].Select(n => (Op)new TornTail(n))));

    [Fact]
    public void LogMatchesTheModelThroughRandomOperations()
    {
        Gen.Select(_op.Array[1, 40], Gen.Int[16, 600]).Sample(
            (ops, indexInterval) => Run(ops, indexInterval),
            iter: 300, threads: 1);
    }

    private static void Run(Op[] ops, int indexInterval)
    {
        var config = new LogConfig { SegmentBytes = 1500, IndexIntervalBytes = indexInterval, FlushMs = long.MaxValue, RetentionMs = -1 };
        using var fixture = new LogFixture(config);
        var model = new List<(long Base, int Count, byte Fill)>();
        var logStart = 0L;
        byte fill = 0;
        foreach (var op in ops)
        {
            switch (op)
            {
                case Append append:
                    fill++;
                    var result = fixture.Log.AppendAsLeader(TestBatches.Make(append.Records, append.ValueSize + 1, fill: fill), 0);
                    Assert.Equal(ModelEnd(model, logStart), result.BaseOffset);
                    model.Add((result.BaseOffset, append.Records, fill));
                    break;
                case Truncate truncate:
                    var end = ModelEnd(model, logStart);
                    var target = logStart + (long)(truncate.Fraction * (end - logStart));
                    fixture.Log.TruncateTo(target);
                    model.RemoveAll(b => b.Base + b.Count - 1 >= target);
                    break;
                case Retain retain:
                    fixture.Log.Reconfigure(config with { RetentionBytes = (long)(retain.KeepFraction * fixture.Log.Size) });
                    fixture.Log.EnforceRetention();
                    fixture.Log.Reconfigure(config);
                    logStart = fixture.Log.LogStartOffset;
                    Assert.True(logStart <= ModelEnd(model, logStart));
                    Assert.True(model.Count == 0 || model.Exists(b => b.Base == logStart) || logStart == ModelEnd(model, 0));
                    model.RemoveAll(b => b.Base < logStart);
                    break;
                case Reopen:
                    fixture.Reopen();
                    break;
                case Crash:
                    fixture.ReopenAfterCrash();
                    break;
                case TornTail torn:
                    var last = fixture.Log.SegmentBaseOffsets[^1];
                    LogFixture.Abandon(fixture.Log);
                    using (var stream = new FileStream(fixture.SegmentPath(last), FileMode.Append))
                    {
                        var garbage = new byte[torn.Bytes];
                        new Random(torn.Bytes).NextBytes(garbage);
                        stream.Write(garbage);
                    }
                    fixture.ReopenAfterCrash();
                    break;
            }
            Check(fixture.Log, model, logStart);
        }
    }

    private static long ModelEnd(List<(long Base, int Count, byte Fill)> model, long logStart) =>
        model.Count == 0 ? logStart : model[^1].Base + model[^1].Count;

    private static void Check(PartitionLog log, List<(long Base, int Count, byte Fill)> model, long logStart)
    {
        Assert.Equal(logStart, log.LogStartOffset);
        Assert.Equal(ModelEnd(model, logStart), log.LogEndOffset);
        var next = log.LogStartOffset;
        var batch = 0;
        while (next < log.LogEndOffset)
        {
            var records = log.Read(next, 4096).Records;
            Assert.NotEmpty(records);
            var at = 0;
            while (at < records.Length)
            {
                var header = RecordBatchHeader.Read(records.AsSpan(at));
                var expected = model[batch++];
                Assert.Equal(expected.Base, header.BaseOffset);
                Assert.Equal(expected.Count, header.RecordCount);
                using (var reader = new RecordBatchReader(records.AsSpan(at, header.TotalSize)))
                {
                    foreach (var record in reader)
                    {
                        Assert.Equal(expected.Fill, record.Value[^1]);
                    }
                }
                next = header.NextOffset;
                at += header.TotalSize;
            }
        }
        Assert.Equal(model.Count, batch);
    }
}
