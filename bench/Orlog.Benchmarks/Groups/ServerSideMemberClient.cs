using Orlog.Grains;

namespace Orlog.Benchmarks.Groups;

/// <summary>
/// A server-side (KIP-848) member played at grain level, as Orlog's SDK plays it: it gives up revoked partitions
/// and takes new ones at once (the application is done with them as soon as it is told), and heartbeats again at
/// once whenever its assignment changed (to report it), or when the coordinator calls its observer (its next
/// heartbeat has news), else every heartbeat interval the group asks for.
/// </summary>
internal sealed class ServerSideMemberClient(IConsumerGroupGrain group, IGrainFactory grains, string topic, GroupSettings settings, ChangeSignal changed, int index)
    : IPlayedMember, IGroupMemberObserver
{
    private readonly SemaphoreSlim _told = new(0);
    private IGroupMemberObserver? _observer;
    private static readonly HashSet<TopicPartition> _nothing = [];
    private readonly CancellationTokenSource _stop = new();
    private IReadOnlySet<TopicPartition> _owned = _nothing;
    private Task _loop = Task.CompletedTask;
    private int _epoch;
    private int _intervalMs = settings.HeartbeatIntervalMs;

    public string MemberId { get; } = Guid.NewGuid().ToString("N");

    public IReadOnlySet<TopicPartition> Owned => Volatile.Read(ref _owned);

    public Exception? Failure { get; private set; }

    private string ClientId => $"bench-server-side-{index}";

    public Task PrepareAsync()
    {
        _observer = grains.CreateObjectReference<IGroupMemberObserver>(this);
        return Task.CompletedTask;
    }

    public void AssignmentChanged(string groupId) => _told.Release();

    public async Task JoinAsync()
    {
        var response = await group.Heartbeat(new GroupHeartbeatRequest(MemberId, 0, null, settings.RebalanceTimeoutMs, settings.SessionTimeoutMs,
            [topic], null, null, [], ClientId, "/127.0.0.1", _observer));
        var changedNow = Apply(response);
        _loop = Task.Run(() => HeartbeatLoopAsync(changedNow));
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        if (_observer is not null)
        {
            grains.DeleteObjectReference<IGroupMemberObserver>(_observer);
        }
    }

    public async Task LeaveAsync()
    {
        var response = await group.Heartbeat(new GroupHeartbeatRequest(MemberId, GroupHeartbeatRequest.LeaveEpoch, null, settings.RebalanceTimeoutMs,
            settings.SessionTimeoutMs, null, null, null, [.. Owned], ClientId, "/127.0.0.1"));
        if (response.Error != ErrorCode.None)
        {
            throw new InvalidOperationException($"Member {MemberId} could not leave: {response.Error} {response.ErrorMessage}");
        }
        Volatile.Write(ref _owned, _nothing);
        changed.Notify();
    }

    private async Task HeartbeatLoopAsync(bool now)
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                if (!now)
                {
                    await _told.WaitAsync(_intervalMs, _stop.Token);
                }
                while (_told.CurrentCount > 0)
                {
                    // What was said before this heartbeat is answered by it.
                    await _told.WaitAsync(0);
                }
                var response = await group.Heartbeat(new GroupHeartbeatRequest(MemberId, _epoch, null, settings.RebalanceTimeoutMs, settings.SessionTimeoutMs,
                    null, null, null, [.. Owned], ClientId, "/127.0.0.1", _observer));
                now = Apply(response);
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

    /// <summary>Takes the group's answer; true when the assignment changed (so the member reports at once).</summary>
    private bool Apply(GroupHeartbeatResponse response)
    {
        if (response.Error != ErrorCode.None)
        {
            // An eviction or fencing here means the run was starved (session.timeout.ms passed without a heartbeat).
            throw new InvalidOperationException($"Server-side member {MemberId} at epoch {_epoch}: {response.Error} {response.ErrorMessage}");
        }
        _epoch = response.MemberEpoch;
        if (response.HeartbeatIntervalMs > 0)
        {
            _intervalMs = response.HeartbeatIntervalMs;
        }
        if (response.Assignment is not { } assignment || Owned.SetEquals(assignment))
        {
            return false;
        }
        Volatile.Write(ref _owned, assignment.ToHashSet());
        changed.Notify();
        return true;
    }
}
