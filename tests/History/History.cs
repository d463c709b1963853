namespace Orlog.Testing;

/// <summary>
/// Records what a fault test's producers and consumers saw, in the order they saw it, for
/// <see cref="HistoryChecker"/>. Safe to call from many threads; a lock around a list append costs
/// well under a microsecond, so tens of thousands of events a second are fine.
/// </summary>
public sealed class History
{
    private readonly List<HistoryEvent> _events = [];
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly long _start;

    public History(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _start = _time.GetTimestamp();
    }

    /// <summary>The number of events recorded so far.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _events.Count;
            }
        }
    }

    /// <summary>A copy of the events recorded so far, in the order they were recorded.</summary>
    public IReadOnlyList<HistoryEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return _events.ToArray();
            }
        }
    }

    public void SendStarted(string producer, string sendId, string? key = null, int? partition = null) =>
        Record(new SendStarted(producer, sendId, key, partition));

    public void SendAcknowledged(string sendId, int partition, long offset) =>
        Record(new SendAcknowledged(sendId, partition, offset));

    public void SendRefused(string sendId, string error) => Record(new SendRefused(sendId, error));

    public void SendUnknown(string sendId, string reason) => Record(new SendUnknown(sendId, reason));

    public void Polled(string consumer, int generation, int partition, long offset, string sendId) =>
        Record(new Polled(consumer, generation, partition, offset, sendId));

    public void Assigned(string consumer, int partition, int generation) =>
        Record(new Assigned(consumer, partition, generation));

    public void Revoked(string consumer, int partition, int generation) =>
        Record(new Revoked(consumer, partition, generation));

    public void Seeked(string consumer, int partition, int generation, long offset) =>
        Record(new Seeked(consumer, partition, generation, offset));

    public void FinalRead(int partition, long offset, string sendId) => Record(new FinalRead(partition, offset, sendId));

    /// <summary>Adds an event with the time it carries, as when a history is read back from a file.</summary>
    public void Add(HistoryEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        lock (_lock)
        {
            _events.Add(e);
        }
    }

    // Stamped under the lock so the times never go backwards along the list.
    private void Record(HistoryEvent e)
    {
        lock (_lock)
        {
            _events.Add(e with { At = _time.GetElapsedTime(_start) });
        }
    }
}
