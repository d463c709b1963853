using Orlog.Grains;
using Orlog.Grains.Groups.Assignors;
using Orlog.Grains.Groups.Classic;

namespace Orlog.Benchmarks.Groups;

/// <summary>
/// A member of Kafka's classic protocol played at grain level, as a Kafka consumer plays it. It heartbeats every
/// heartbeat.interval.ms and rejoins on REBALANCE_IN_PROGRESS. Eager: it gives up every partition before it
/// rejoins (remembering them, so the leader can keep the assignment sticky, as Kafka's sticky assignor does with
/// its user data). Cooperative (KIP-429): it keeps its partitions while it rejoins, gives up only those it was
/// not assigned, and, if it gave any up, rejoins at once so they can be handed on in the next generation. The
/// leader assigns with the uniform assignor (sticky to what members own); a cooperative leader withholds
/// partitions that change owner until their old owner let them go.
/// </summary>
internal sealed class ClassicMemberClient(IConsumerGroupGrain group, string topic, int partitions, bool cooperative, GroupSettings settings,
    ClassicTarget target, ChangeSignal changed, int index) : IPlayedMember
{
    private static readonly HashSet<TopicPartition> _nothing = [];
    private readonly CancellationTokenSource _stop = new();
    private IReadOnlySet<TopicPartition> _owned = _nothing;
    private IReadOnlySet<TopicPartition> _claimed = _nothing;
    private Task _loop = Task.CompletedTask;
    private string _memberId = "";
    private int _generation = ConsumerSubscription.NoGeneration;

    /// <summary>Kafka's names for the two behaviours of the sticky assignor.</summary>
    public string ProtocolName => cooperative ? "cooperative-sticky" : "sticky";

    public string MemberId => Volatile.Read(ref _memberId);

    /// <summary>The leader of the generation this member last joined.</summary>
    public bool IsLeader { get; private set; }

    public IReadOnlySet<TopicPartition> Owned => Volatile.Read(ref _owned);

    public Exception? Failure { get; private set; }

    private string ClientId => $"bench-{ProtocolName}-{index}";

    public Task PrepareAsync() => Task.CompletedTask;

    public async Task JoinAsync()
    {
        await RebalanceAsync("joining");
        _loop = Task.Run(HeartbeatLoopAsync);
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
    }

    public async Task LeaveAsync()
    {
        var results = await group.LeaveGroup([new LeavingMember(MemberId, null, "the benchmark takes a member out")]);
        if (results.Count != 1 || results[0].Error != ErrorCode.None)
        {
            throw new InvalidOperationException($"Member {MemberId} could not leave: {string.Join(", ", results.Select(r => r.Error))}");
        }
        SetOwned(_nothing);
    }

    private async Task HeartbeatLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(settings.HeartbeatIntervalMs, _stop.Token);
                var error = await group.ClassicHeartbeat(MemberId, _generation, null);
                if (error == ErrorCode.RebalanceInProgress)
                {
                    await RebalanceAsync("the group is rebalancing");
                }
                else if (error != ErrorCode.None)
                {
                    throw new InvalidOperationException($"Classic member {MemberId} at generation {_generation}: heartbeat answered {error}");
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception error)
        {
            Failure ??= error;
            changed.Notify();
        }
    }

    /// <summary>JoinGroup and SyncGroup until the member holds an assignment it need not give anything up from.</summary>
    private async Task RebalanceAsync(string reason)
    {
        if (!cooperative)
        {
            // Eager: everything goes before the rejoin; the claim keeps the leader sticky.
            _claimed = Owned.Count > 0 ? Owned : _claimed;
            SetOwned(_nothing);
        }
        while (true)
        {
            var claim = cooperative ? Owned : _claimed;
            var metadata = ConsumerProtocol.EncodeSubscription(new ConsumerSubscription([topic], null, [.. claim], _generation, null));
            var join = await group.JoinGroup(new JoinGroupRequest(MemberId, null, settings.SessionTimeoutMs, settings.RebalanceTimeoutMs,
                GroupProtocolTypes.Consumer, [new GroupProtocol(ProtocolName, metadata)], ClientId, "/127.0.0.1", reason));
            if (join.Error == ErrorCode.MemberIdRequired)
            {
                Volatile.Write(ref _memberId, join.MemberId);
                changed.Notify();
                continue;
            }
            if (join.Error == ErrorCode.RebalanceInProgress)
            {
                continue;
            }
            Check(join.Error, join.ErrorMessage, "JoinGroup");
            _generation = join.GenerationId;
            IsLeader = join.Leader == MemberId;
            var assignments = IsLeader && !join.SkipAssignment ? Assign(join.Members) : [];
            var sync = await group.SyncGroup(new SyncGroupRequest(MemberId, _generation, null, GroupProtocolTypes.Consumer, join.ProtocolName, assignments));
            if (sync.Error is ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration)
            {
                reason = "the group rebalanced again";
                continue;
            }
            Check(sync.Error, sync.ErrorMessage, "SyncGroup");
            var assigned = sync.Assignment.Length == 0 ? [] : ConsumerProtocol.DecodeAssignment(sync.Assignment).Partitions.ToHashSet();
            var gaveUp = cooperative && Owned.Any(p => !assigned.Contains(p));
            SetOwned(assigned);
            if (!gaveUp)
            {
                return;
            }
            // KIP-429: partitions given up are handed on only in the next generation; asking for it at once.
            reason = "partitions were revoked";
        }
    }

    /// <summary>The leader's work: the uniform assignment, sticky to what members own; cooperative withholds what changes owner.</summary>
    private List<SyncGroupAssignment> Assign(IReadOnlyList<JoinGroupMember> members)
    {
        var subscriptions = members.ToDictionary(m => m.MemberId, m => ConsumerProtocol.DecodeSubscription(m.Metadata), StringComparer.Ordinal);
        // A partition two members claim belongs to the claim of the newer generation (as Kafka's sticky assignors decide).
        var newest = new Dictionary<TopicPartition, int>();
        foreach (var subscription in subscriptions.Values)
        {
            foreach (var partition in subscription.OwnedPartitions)
            {
                newest[partition] = Math.Max(newest.GetValueOrDefault(partition, int.MinValue), subscription.GenerationId);
            }
        }
        var owned = new Dictionary<string, IReadOnlySet<TopicPartition>>(StringComparer.Ordinal);
        var assignmentMembers = new List<AssignmentMember>(members.Count);
        foreach (var member in members)
        {
            var subscription = subscriptions[member.MemberId];
            var claims = subscription.OwnedPartitions.Where(p => newest[p] == subscription.GenerationId).ToHashSet();
            owned[member.MemberId] = claims;
            assignmentMembers.Add(new AssignmentMember(member.MemberId, member.GroupInstanceId, subscription.Topics.ToHashSet(StringComparer.Ordinal), claims));
        }
        var full = PartitionAssignors.Uniform.Assign(assignmentMembers, new Dictionary<string, int>(StringComparer.Ordinal) { [topic] = partitions });
        target.Publish(full);
        var handedOut = cooperative ? CooperativeAssignment.WithholdMoved(owned, full) : full;
        return [.. handedOut.Select(m => new SyncGroupAssignment(m.Key,
            ConsumerProtocol.EncodeAssignment(new ConsumerAssignment([.. m.Value.OrderBy(p => p.Topic, StringComparer.Ordinal).ThenBy(p => p.Partition)], null))))];
    }

    private void SetOwned(IReadOnlySet<TopicPartition> partitions)
    {
        Volatile.Write(ref _owned, partitions);
        changed.Notify();
    }

    private void Check(ErrorCode error, string? message, string request)
    {
        if (error != ErrorCode.None)
        {
            throw new InvalidOperationException($"Classic member {MemberId} at generation {_generation}: {request} answered {error} {message}");
        }
    }
}
