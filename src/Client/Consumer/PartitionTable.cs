namespace Orlog.Client;

/// <summary>
/// The partitions assigned to a consumer and their offsets, and the fetcher commands that follow from changing them:
/// assigning, starting at an offset (or where auto.offset.reset says), pausing, resuming and dropping. Plain: the
/// consumer calls it under its lock.
/// </summary>
internal sealed class PartitionTable<TKey, TValue>
{
    private readonly Dictionary<TopicPartition, AssignedPartition> _partitions = [];
    private readonly AutoOffsetReset _autoOffsetReset;
    private readonly Action<FetchCommand> _fetch;
    private readonly Action<FetchedChunk<TKey, TValue>> _deliver;

    /// <param name="offsets">The offsets of the partitions.</param>
    /// <param name="autoOffsetReset">Where a partition without an offset starts.</param>
    /// <param name="fetch">Tells the fetcher to start or stop a partition.</param>
    /// <param name="deliver">Hands an error to Consume in a partition's place.</param>
    public PartitionTable(OffsetStore offsets, AutoOffsetReset autoOffsetReset, Action<FetchCommand> fetch, Action<FetchedChunk<TKey, TValue>> deliver)
    {
        Offsets = offsets;
        _autoOffsetReset = autoOffsetReset;
        _fetch = fetch;
        _deliver = deliver;
    }

    public OffsetStore Offsets { get; }

    public int Count => _partitions.Count;

    public IEnumerable<TopicPartition> Keys => _partitions.Keys;

    public IEnumerable<AssignedPartition> Values => _partitions.Values;

    public bool Contains(TopicPartition partition) => _partitions.ContainsKey(partition);

    public bool TryGet(TopicPartition partition, out AssignedPartition state) => _partitions.TryGetValue(partition, out state!);

    /// <exception cref="InvalidOperationException">The partition is not assigned.</exception>
    public AssignedPartition Get(TopicPartition partition) =>
        _partitions.TryGetValue(partition, out var state) ? state : throw new InvalidOperationException($"{partition} is not assigned to this consumer.");

    /// <summary>Assigns a partition (whose leader and committed offset, -1 for none, are known) and starts it at <paramref name="start"/>.</summary>
    public AssignedPartition Add(TopicPartition partition, int leader, long committed, Offset start)
    {
        var state = new AssignedPartition(partition, leader, Offsets.Add(partition, committed));
        _partitions[partition] = state;
        StartAt(state, start);
        return state;
    }

    /// <summary>Fetches a partition from an offset, Beginning or End, or from where auto.offset.reset says when it is Unset.</summary>
    public void StartAt(AssignedPartition state, Offset offset)
    {
        if (offset == Offset.Unset)
        {
            switch (_autoOffsetReset)
            {
                case AutoOffsetReset.Earliest:
                    offset = Offset.Beginning;
                    break;
                case AutoOffsetReset.Latest:
                    offset = Offset.End;
                    break;
                default:
                    Halt(state, -1);
                    state.Pending = Offset.Unset;
                    var error = new Error(ErrorCode.OffsetOutOfRange,
                        $"{state.TopicPartition} has no offset to start from and auto.offset.reset is none. Assign it with an offset, or set auto.offset.reset to earliest or latest.");
                    var chunk = new FetchedChunk<TKey, TValue>(state, state.Version, null, -1);
                    chunk.Items.Add(new ConsumeItem<TKey, TValue>(null, new ConsumeException(error, new TopicPartitionOffset(state.TopicPartition, Offset.Unset)), -1));
                    _deliver(chunk);
                    return;
            }
        }
        else if (offset.IsSpecial && offset != Offset.Beginning && offset != Offset.End)
        {
            throw new ArgumentException($"Offset {offset.Value} is neither an offset nor Beginning, End or Unset.", nameof(offset));
        }
        state.Version++;
        state.Pending = offset.IsSpecial ? offset : Offset.Unset;
        state.Offsets.Position = offset.IsSpecial ? -1 : offset.Value;
        if (!state.Paused)
        {
            _fetch(new FetchCommand.Start(state, state.Version, offset));
        }
    }

    /// <summary>Stops fetching a partition, dropping what was fetched and not consumed; after Resume it is fetched again from its position.</summary>
    public void Pause(TopicPartition partition)
    {
        var state = Get(partition);
        if (!state.Paused)
        {
            state.Paused = true;
            state.Version++;
            _fetch(new FetchCommand.Stop(partition, state.Version));
        }
    }

    public void Resume(TopicPartition partition)
    {
        var state = Get(partition);
        if (state.Paused)
        {
            state.Paused = false;
            StartAt(state, state.Position >= 0 ? state.Position : state.Pending);
        }
    }

    /// <summary>Stops fetching a partition until it is sought, with its position at <paramref name="position"/> (a corrupt batch there).</summary>
    public void Halt(AssignedPartition state, long position)
    {
        state.Version++;
        state.Offsets.Position = position;
        _fetch(new FetchCommand.Stop(state.TopicPartition, state.Version));
    }

    public void Drop(AssignedPartition state)
    {
        if (_partitions.TryGetValue(state.TopicPartition, out var current) && current == state)
        {
            state.Assigned = false;
            state.Version++;
            _partitions.Remove(state.TopicPartition);
            Offsets.Remove(state.TopicPartition);
            _fetch(new FetchCommand.Stop(state.TopicPartition, state.Version));
        }
    }

    public void DropAll()
    {
        foreach (var state in _partitions.Values.ToList())
        {
            Drop(state);
        }
    }
}
