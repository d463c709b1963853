using Orlog.Client;
using GroupPartition = Orlog.Grains.TopicPartition;

namespace Orlog.Benchmarks.Groups;

/// <summary>
/// A member that is an SDK consumer (IConsumer.Subscribe) on a thread of its own calling Consume, as an
/// application runs one. What it holds is what its rebalance handlers were told: the assigned handler adds, the
/// revoked and lost handlers take away.
/// </summary>
internal sealed class SdkMemberClient(OrlogClient client, string groupId, string topic, GroupSettings settings, ChangeSignal changed, int index) : IPlayedMember
{
    private static readonly TimeSpan _poll = TimeSpan.FromMilliseconds(100);
    private readonly HashSet<GroupPartition> _held = [];
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IReadOnlySet<GroupPartition> _owned = new HashSet<GroupPartition>();
    private IConsumer<Ignore, byte[]>? _consumer;
    private volatile bool _stop;

    public string MemberId => _consumer?.MemberId ?? "";

    public IReadOnlySet<GroupPartition> Owned => Volatile.Read(ref _owned);

    public Exception? Failure { get; private set; }

    public async Task PrepareAsync()
    {
        var config = new ConsumerConfig
        {
            GroupId = groupId,
            ClientId = $"bench-sdk-{index}",
            SessionTimeoutMs = settings.SessionTimeoutMs,
            MaxPollIntervalMs = settings.RebalanceTimeoutMs,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        };
        _consumer = await new ConsumerBuilder<Ignore, byte[]>(config)
            .SetClient(client)
            .SetPartitionsAssignedHandler((_, partitions) => Change(partitions, add: true))
            .SetPartitionsRevokedHandler((_, partitions) => Change(partitions.Select(p => p.TopicPartition), add: false))
            .SetPartitionsLostHandler((_, partitions) => Change(partitions.Select(p => p.TopicPartition), add: false))
            .BuildAsync();
    }

    public Task JoinAsync()
    {
        var consumer = _consumer ?? throw new InvalidOperationException("PrepareAsync first.");
        consumer.Subscribe(topic);
        new Thread(() => ConsumeLoop(consumer)) { IsBackground = true, Name = $"bench-sdk-{index}" }.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync()
    {
        if (_consumer is null)
        {
            return Task.CompletedTask;
        }
        _stop = true;
        return _stopped.Task;
    }

    /// <summary>Close: the revoked handler runs, then the consumer leaves the group.</summary>
    public async Task LeaveAsync()
    {
        if (_consumer is not { } consumer)
        {
            return;
        }
        await Task.Run(consumer.Close);
        await consumer.DisposeAsync();
        _consumer = null;
        Volatile.Write(ref _owned, new HashSet<GroupPartition>());
        changed.Notify();
    }

    private void ConsumeLoop(IConsumer<Ignore, byte[]> consumer)
    {
        try
        {
            while (!_stop)
            {
                consumer.Consume(_poll);
            }
        }
        catch (Exception error)
        {
            Failure ??= error;
            changed.Notify();
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    private void Change(IEnumerable<TopicPartition> partitions, bool add)
    {
        foreach (var partition in partitions)
        {
            var converted = new GroupPartition(partition.Topic, partition.Partition);
            if (add)
            {
                _held.Add(converted);
            }
            else
            {
                _held.Remove(converted);
            }
        }
        Volatile.Write(ref _owned, _held.ToHashSet());
        changed.Notify();
    }
}
