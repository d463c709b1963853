namespace Orlog.Grains.Metrics;

/// <summary>One topic's traffic through this broker since it started: records and bytes in (appended as leader) and out (sent to consumers).</summary>
public sealed class TopicTraffic(string topic)
{
    private long _recordsIn;
    private long _bytesIn;
    private long _recordsOut;
    private long _bytesOut;

    public string Topic { get; } = topic;

    public long RecordsIn => Interlocked.Read(ref _recordsIn);

    public long BytesIn => Interlocked.Read(ref _bytesIn);

    public long RecordsOut => Interlocked.Read(ref _recordsOut);

    public long BytesOut => Interlocked.Read(ref _bytesOut);

    internal void AddIn(long records, long bytes)
    {
        Interlocked.Add(ref _recordsIn, records);
        Interlocked.Add(ref _bytesIn, bytes);
    }

    internal void AddOut(long records, long bytes)
    {
        Interlocked.Add(ref _recordsOut, records);
        Interlocked.Add(ref _bytesOut, bytes);
    }
}
