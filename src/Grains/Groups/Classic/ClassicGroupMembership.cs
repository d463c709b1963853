using Orlog.Grains.Hosting;

namespace Orlog.Grains.Groups.Classic;

/// <summary>
/// The members of a group that speaks Kafka's classic protocol: JoinGroup / SyncGroup / Heartbeat / LeaveGroup
/// with the assignment computed by the elected leader member and relayed by the coordinator. A plain state
/// machine on the grain's single-threaded turn, time passed in (monotonic ms): JoinGroup and SyncGroup calls
/// stay pending (reentrant grain) until another call or <see cref="Tick"/> completes them.
/// States as Kafka's GroupCoordinator: Empty → PreparingRebalance (members (re)join) → CompletingRebalance
/// (the leader assigns) → Stable; the generation is the group's epoch.
/// </summary>
internal sealed partial class ClassicGroupMembership : IGroupMembership
{
    private readonly string _groupId;
    private readonly GroupConfig _config;

    // Insertion order matters: Kafka elects the first member as leader when the leader goes.
    private readonly OrderedDictionary<string, ClassicMember> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _staticMembers = new(StringComparer.Ordinal);

    // Member ids handed out with MEMBER_ID_REQUIRED (KIP-394), each valid for the joiner's session timeout.
    private readonly Dictionary<string, long> _pendingMemberIds = new(StringComparer.Ordinal);

    // Members of the current generation that have not sent SyncGroup yet (removed at _syncDeadlineMs).
    private readonly HashSet<string> _pendingSync = new(StringComparer.Ordinal);

    private string _state = GroupStates.Empty;
    private int _generation;
    private string _protocolType = "";
    private string? _protocolName;
    private string? _leaderId;

    private long _joinDeadlineMs;
    private bool _inInitialDelay;
    private long _initialDelayRemainingMs;
    private bool _newMemberAdded;
    private long _syncDeadlineMs;

    public ClassicGroupMembership(string groupId, GroupConfig config)
    {
        _groupId = groupId;
        _config = config;
    }

    public string Dialect => GroupDialects.Classic;

    public string State => _state;

    public int Epoch => _generation;

    public bool IsEmpty => _members.Count == 0;

    /// <summary>The protocol type of the members (kept when the group empties, as Kafka lists it).</summary>
    public string ProtocolType => _protocolType;

    public string ProtocolName => _protocolName ?? "";

    /// <summary>The leader of the current generation (null when the group is empty).</summary>
    public string? Leader => _leaderId;

    public ErrorCode ValidateCommit(string memberId, int generationIdOrMemberEpoch, string? groupInstanceId)
    {
        var error = ValidateMember(memberId, groupInstanceId);
        if (error != ErrorCode.None)
        {
            return error;
        }
        if (_state == GroupStates.CompletingRebalance)
        {
            return ErrorCode.RebalanceInProgress;
        }
        // During PreparingRebalance the generation has not moved yet: eager members commit before they rejoin.
        return generationIdOrMemberEpoch == _generation ? ErrorCode.None : ErrorCode.IllegalGeneration;
    }

    public ErrorCode ValidateFetch(string memberId, int memberEpoch)
    {
        if (string.IsNullOrEmpty(memberId))
        {
            return ErrorCode.None;
        }
        if (!_members.ContainsKey(memberId))
        {
            return ErrorCode.UnknownMemberId;
        }
        // A negative epoch means the client did not send one (classic clients before OffsetFetch v9).
        return memberEpoch < 0 || memberEpoch == _generation ? ErrorCode.None : ErrorCode.IllegalGeneration;
    }

    /// <summary>Kafka's member check: a given instance id must map to this member id, else the member id must be known.</summary>
    private ErrorCode ValidateMember(string memberId, string? groupInstanceId)
    {
        if (!string.IsNullOrEmpty(groupInstanceId))
        {
            if (!_staticMembers.TryGetValue(groupInstanceId, out var current))
            {
                return ErrorCode.UnknownMemberId;
            }
            return current == memberId ? ErrorCode.None : ErrorCode.FencedInstanceId;
        }
        return _members.ContainsKey(memberId) ? ErrorCode.None : ErrorCode.UnknownMemberId;
    }

    private int RebalanceTimeoutMs()
    {
        var timeout = 0;
        foreach (var member in _members.Values)
        {
            timeout = Math.Max(timeout, member.RebalanceTimeoutMs);
        }
        return timeout;
    }

    private void AddMember(ClassicMember member)
    {
        if (_members.Count == 0)
        {
            _protocolType = member.ProtocolType;
        }
        _members.Add(member.MemberId, member);
        if (member.GroupInstanceId is { } instanceId)
        {
            _staticMembers[instanceId] = member.MemberId;
        }
        _leaderId ??= member.MemberId;
        SubscriptionsChanged();
    }

    /// <summary>Takes a member out; its pending calls get <paramref name="error"/>.</summary>
    private void RemoveMember(ClassicMember member, ErrorCode error, string message)
    {
        CompleteJoinWithError(member, error, message);
        CompleteSyncWithError(member, error, message);
        _members.Remove(member.MemberId);
        _pendingSync.Remove(member.MemberId);
        if (member.GroupInstanceId is { } instanceId && _staticMembers.TryGetValue(instanceId, out var current) && current == member.MemberId)
        {
            _staticMembers.Remove(instanceId);
        }
        if (_leaderId == member.MemberId)
        {
            _leaderId = _members.Count > 0 ? _members.GetAt(0).Key : null;
        }
        SubscriptionsChanged();
    }

    /// <summary>A static member's new member id takes the old one's place (KIP-345); the old id is fenced from now on.</summary>
    private void ReplaceMemberId(ClassicMember member, string newMemberId)
    {
        var oldMemberId = member.MemberId;
        var index = _members.IndexOf(oldMemberId);
        _members.RemoveAt(index);
        member.MemberId = newMemberId;
        _members.Insert(index, newMemberId, member);
        _staticMembers[member.GroupInstanceId!] = newMemberId;
        if (_pendingSync.Remove(oldMemberId))
        {
            _pendingSync.Add(newMemberId);
        }
        if (_leaderId == oldMemberId)
        {
            _leaderId = newMemberId;
        }
    }

    private static void CompleteJoinWithError(ClassicMember member, ErrorCode error, string message)
    {
        member.PendingJoin?.TrySetResult(JoinError(error, message, member.MemberId));
        member.PendingJoin = null;
    }

    private static void CompleteSyncWithError(ClassicMember member, ErrorCode error, string message)
    {
        member.PendingSync?.TrySetResult(SyncError(error, message));
        member.PendingSync = null;
    }

    private static JoinGroupResponse JoinError(ErrorCode error, string? message, string memberId) =>
        new(error, message, -1, null, null, "", false, memberId, []);

    private static SyncGroupResponse SyncError(ErrorCode error, string? message) => new(error, message, null, null, []);

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private string Describe(string memberId) => $"member '{memberId}' of group '{_groupId}'";
}
