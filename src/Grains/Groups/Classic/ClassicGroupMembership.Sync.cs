namespace Orlog.Grains.Groups.Classic;

internal sealed partial class ClassicGroupMembership
{
    /// <summary>
    /// SyncGroup: in CompletingRebalance the members wait for the leader's sync, which brings every member's
    /// assignment and makes the group Stable; in Stable a member gets its stored assignment.
    /// </summary>
    public Task<SyncGroupResponse> Sync(SyncGroupRequest request, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(request);
        var error = ValidateMember(request.MemberId, request.GroupInstanceId);
        if (error != ErrorCode.None)
        {
            return Task.FromResult(SyncError(error, MemberError(error, request.MemberId, request.GroupInstanceId)));
        }
        if (request.GenerationId != _generation)
        {
            return Task.FromResult(SyncError(ErrorCode.IllegalGeneration,
                $"generation {request.GenerationId} is not group '{_groupId}''s current generation {_generation}; rejoin"));
        }
        if ((request.ProtocolType is not null && request.ProtocolType != _protocolType) ||
            (request.ProtocolName is not null && request.ProtocolName != _protocolName))
        {
            return Task.FromResult(SyncError(ErrorCode.InconsistentGroupProtocol,
                $"protocol '{request.ProtocolType}'/'{request.ProtocolName}' is not group '{_groupId}''s '{_protocolType}'/'{_protocolName}'"));
        }
        var member = _members[request.MemberId];
        member.RenewSession(nowMs);
        switch (_state)
        {
            case GroupStates.PreparingRebalance:
                return Task.FromResult(SyncError(ErrorCode.RebalanceInProgress, $"group '{_groupId}' is rebalancing; rejoin"));
            case GroupStates.CompletingRebalance:
                _pendingSync.Remove(member.MemberId);
                CompleteSyncWithError(member, ErrorCode.RebalanceInProgress, "superseded by a newer SyncGroup from the same member");
                var pending = new TaskCompletionSource<SyncGroupResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
                member.PendingSync = pending;
                if (member.MemberId == _leaderId)
                {
                    SetAndPropagateAssignment(request.Assignments);
                }
                return pending.Task;
            default:
                _pendingSync.Remove(member.MemberId);
                return Task.FromResult(SyncAnswer(member));
        }
    }

    /// <summary>
    /// Classic Heartbeat: keeps the session alive; REBALANCE_IN_PROGRESS tells the member to rejoin.
    /// </summary>
    public ErrorCode Heartbeat(string memberId, int generationId, string? groupInstanceId, long nowMs)
    {
        var error = ValidateMember(memberId, groupInstanceId);
        if (error != ErrorCode.None)
        {
            return error;
        }
        if (generationId != _generation)
        {
            return ErrorCode.IllegalGeneration;
        }
        _members[memberId].RenewSession(nowMs);
        return _state == GroupStates.PreparingRebalance ? ErrorCode.RebalanceInProgress : ErrorCode.None;
    }

    /// <summary>
    /// LeaveGroup: each member by member id, or by group instance id when the member id is empty (an admin
    /// removing a static member). The others rebalance; the last one out leaves the group Empty.
    /// </summary>
    public IReadOnlyList<LeaveGroupResult> Leave(IReadOnlyList<LeavingMember> members, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(members);
        var results = new List<LeaveGroupResult>(members.Count);
        var left = false;
        foreach (var leaving in members)
        {
            var error = LeaveOne(leaving, nowMs);
            left |= error == ErrorCode.None;
            results.Add(new LeaveGroupResult(leaving.MemberId, leaving.GroupInstanceId, error));
        }
        if (left)
        {
            MembersLeft(nowMs);
        }
        return results;
    }

    private ErrorCode LeaveOne(LeavingMember leaving, long nowMs)
    {
        var instanceId = string.IsNullOrEmpty(leaving.GroupInstanceId) ? null : leaving.GroupInstanceId;
        string memberId;
        if (leaving.MemberId.Length == 0)
        {
            if (instanceId is null || !_staticMembers.TryGetValue(instanceId, out var current))
            {
                return ErrorCode.UnknownMemberId;
            }
            memberId = current;
        }
        else
        {
            if (instanceId is null && IsPendingMemberId(leaving.MemberId, nowMs))
            {
                // A joiner that got MEMBER_ID_REQUIRED and gave up: the rebalance need not wait for it.
                _pendingMemberIds.Remove(leaving.MemberId);
                TryCompleteJoin(nowMs);
                return ErrorCode.None;
            }
            var error = ValidateMember(leaving.MemberId, instanceId);
            if (error != ErrorCode.None)
            {
                return error;
            }
            memberId = leaving.MemberId;
        }
        var reason = string.IsNullOrEmpty(leaving.Reason) ? "" : $" ({leaving.Reason})";
        RemoveMember(_members[memberId], ErrorCode.UnknownMemberId, $"{Describe(memberId)} left the group{reason}");
        return ErrorCode.None;
    }

    /// <summary>The leader's sync: every member's assignment (empty for members it left out); every waiting sync is answered.</summary>
    private void SetAndPropagateAssignment(IReadOnlyList<SyncGroupAssignment> assignments)
    {
        var byMember = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var assignment in assignments)
        {
            byMember[assignment.MemberId] = assignment.Assignment;
        }
        foreach (var member in _members.Values)
        {
            member.Assignment = byMember.GetValueOrDefault(member.MemberId) ?? [];
        }
        _state = GroupStates.Stable;
        foreach (var member in _members.Values)
        {
            if (member.PendingSync is { } pending)
            {
                member.PendingSync = null;
                pending.TrySetResult(SyncAnswer(member));
            }
        }
    }

    private SyncGroupResponse SyncAnswer(ClassicMember member) =>
        new(ErrorCode.None, null, NullIfEmpty(_protocolType), _protocolName, member.Assignment);

    private string MemberError(ErrorCode error, string memberId, string? groupInstanceId) => error == ErrorCode.FencedInstanceId
        ? $"group instance id '{groupInstanceId}' belongs to another member of group '{_groupId}' now; another consumer runs with the same group.instance.id"
        : $"{Describe(memberId)} is not known; rejoin with an empty member id";
}
