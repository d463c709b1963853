using System.Collections.Concurrent;

namespace Orlog.Client;

/// <summary>
/// What the consumer's parts hand to the consuming thread: fetched chunks in one queue, and the group's changes in
/// another that Consume reads first, so a revocation does not wait behind queued records.
/// </summary>
internal sealed class ConsumerInbox<TKey, TValue> : IFetchSink<TKey, TValue>
{
    private readonly ConcurrentQueue<FetchedChunk<TKey, TValue>> _chunks = new();
    private readonly ConcurrentQueue<MemberChange> _control = new();
    private volatile bool _hasControl;

    /// <summary>Set when anything arrives.</summary>
    public AsyncSignal Available { get; } = new();

    /// <summary>A group change waits.</summary>
    public bool HasControl => _hasControl;

    public void Fetched(FetchedChunk<TKey, TValue> chunk)
    {
        _chunks.Enqueue(chunk);
        Available.Set();
    }

    public void Positioned(AssignedPartition partition, ResolvedPosition position) => partition.Resolve(position);

    public void Changed(MemberChange change) => PostControl(change);

    public bool TryTakeChunk(out FetchedChunk<TKey, TValue> chunk) => _chunks.TryDequeue(out chunk!);

    /// <summary>Every change waiting, in the order they came.</summary>
    public List<MemberChange> TakeControl()
    {
        _hasControl = false;
        var items = new List<MemberChange>();
        while (_control.TryDequeue(out var item))
        {
            items.Add(item);
        }
        return items;
    }

    private void PostControl(MemberChange item)
    {
        _control.Enqueue(item);
        _hasControl = true;
        Available.Set();
    }
}
