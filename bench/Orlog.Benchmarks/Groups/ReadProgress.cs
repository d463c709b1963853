using System.Diagnostics;

namespace Orlog.Benchmarks.Groups;

/// <summary>
/// How far the readers of one topic got: done when every partition's last record (the one before its end offset)
/// was returned. Each reader counts its records alone and adds them at the end, so nothing is shared per record
/// but the first record's time. <paramref name="onFirst"/> runs on the reader that got the first record, and
/// <see cref="Finished"/> completes with the last, so a meter can cover exactly the reading.
/// </summary>
internal sealed class ReadProgress(long[] endOffsets, Action onFirst)
{
    private readonly int[] _finished = new int[endOffsets.Length];
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _first;
    private long _last;
    private int _complete = endOffsets.Count(end => end == 0);
    private long _records;
    private long _bytes;

    public bool Done => Volatile.Read(ref _complete) == endOffsets.Length;

    /// <summary>Completes when the last partition's last record was returned.</summary>
    public Task Finished => _done.Task;

    public long Records => Interlocked.Read(ref _records);

    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>From the first record any reader got to the last record of the last partition to finish.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(Interlocked.Read(ref _first), Interlocked.Read(ref _last));

    public void First()
    {
        if (Interlocked.CompareExchange(ref _first, Stopwatch.GetTimestamp(), 0) == 0)
        {
            onFirst();
        }
    }

    /// <summary>A record at <paramref name="offset"/> of <paramref name="partition"/> was returned: the partition may be finished.</summary>
    public void Saw(int partition, long offset)
    {
        if (offset == endOffsets[partition] - 1 && Interlocked.Exchange(ref _finished[partition], 1) == 0)
        {
            var now = Stopwatch.GetTimestamp();
            long last;
            do
            {
                last = Interlocked.Read(ref _last);
            }
            while (now > last && Interlocked.CompareExchange(ref _last, now, last) != last);
            if (Interlocked.Increment(ref _complete) == endOffsets.Length)
            {
                _done.TrySetResult();
            }
        }
    }

    public void Add(long records, long bytes)
    {
        Interlocked.Add(ref _records, records);
        Interlocked.Add(ref _bytes, bytes);
    }
}
