using System.Buffers.Binary;
using System.Diagnostics;

namespace Orlog.Benchmarks.Streams;

/// <summary>
/// What the subscriber grains received in the current measurement (a silo singleton): how many events, the first
/// and the last arrival, and, when a latency array is given, each event's time from its send stamp (the value's first
/// 8 bytes, monotonic clock of this process) to the grain's OnNextAsync, by its sequence number (the next 8 bytes).
/// </summary>
public sealed class DeliveryMeter
{
    private long _count;
    private long _first;
    private long _last;
    private long[]? _latencies;

    public long Count => Interlocked.Read(ref _count);

    /// <summary>From the first to the last arrival.</summary>
    public TimeSpan Span => Stopwatch.GetElapsedTime(Interlocked.Read(ref _first), Interlocked.Read(ref _last));

    public void Reset(long[]? latencies = null)
    {
        _latencies = latencies;
        Interlocked.Exchange(ref _first, 0);
        Interlocked.Exchange(ref _last, 0);
        Interlocked.Exchange(ref _count, 0);
    }

    public void Received(ReadOnlySpan<byte> value)
    {
        var now = Stopwatch.GetTimestamp();
        Interlocked.CompareExchange(ref _first, now, 0);
        long last;
        do
        {
            last = Interlocked.Read(ref _last);
        }
        while (now > last && Interlocked.CompareExchange(ref _last, now, last) != last);
        if (_latencies is { } latencies && value.Length >= 16)
        {
            var sequence = BinaryPrimitives.ReadInt64LittleEndian(value[8..]);
            if ((ulong)sequence < (ulong)latencies.Length)
            {
                latencies[sequence] = now - BinaryPrimitives.ReadInt64LittleEndian(value);
            }
        }
        Interlocked.Increment(ref _count);
    }

    /// <summary>Waits until <paramref name="expected"/> events arrived; fails when none arrived for <paramref name="stall"/>.</summary>
    public async Task WaitForAsync(long expected, TimeSpan stall, string what)
    {
        var seen = Count;
        var quiet = Stopwatch.StartNew();
        while (Count < expected)
        {
            await Task.Delay(10).ConfigureAwait(false);
            var now = Count;
            if (now != seen)
            {
                seen = now;
                quiet.Restart();
            }
            else if (quiet.Elapsed > stall)
            {
                throw new TimeoutException($"{what}: {now:N0} of {expected:N0} events delivered, none for {stall.TotalSeconds:F0} s.");
            }
        }
        if (Count > expected)
        {
            throw new InvalidOperationException($"{what}: {Count:N0} events delivered, {expected:N0} sent (a redelivery in a run without faults).");
        }
    }
}
