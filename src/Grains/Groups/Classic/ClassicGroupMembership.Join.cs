namespace Orlog.Grains.Groups.Classic;

internal sealed partial class ClassicGroupMembership
{
    /// <summary>
    /// JoinGroup: answers at once with MEMBER_ID_REQUIRED or an error, or (a static member returning to a
    /// stable group unchanged) with the current generation; else when the rebalance completes.
    /// </summary>
    public Task<JoinGroupResponse> Join(JoinGroupRequest request, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.SessionTimeoutMs < _config.MinSessionTimeoutMs || request.SessionTimeoutMs > _config.MaxSessionTimeoutMs)
        {
            return Refuse(request, ErrorCode.InvalidSessionTimeout,
                $"session.timeout.ms {request.SessionTimeoutMs} is outside the broker's range [{_config.MinSessionTimeoutMs}, {_config.MaxSessionTimeoutMs}] " +
                "(group.min.session.timeout.ms, group.max.session.timeout.ms)");
        }
        var instanceId = string.IsNullOrEmpty(request.GroupInstanceId) ? null : request.GroupInstanceId;
        var existing = FindJoiner(request.MemberId, instanceId);
        if (ProtocolMismatch(request, existing) is { } mismatch)
        {
            return Refuse(request, ErrorCode.InconsistentGroupProtocol, mismatch);
        }

        if (instanceId is not null)
        {
            return JoinStatic(request, instanceId, nowMs);
        }
        if (request.MemberId.Length == 0)
        {
            if (IsFull())
            {
                return Refuse(request, ErrorCode.GroupMaxSizeReached, $"group '{_groupId}' has {_members.Count} members, group.max.size");
            }
            // KIP-394: the joiner learns its member id first, so that a lost response does not leave a ghost member.
            var memberId = request.ClientId + "-" + Guid.NewGuid().ToString();
            _pendingMemberIds[memberId] = nowMs + request.SessionTimeoutMs;
            return Task.FromResult(JoinError(ErrorCode.MemberIdRequired, "rejoin with the member id given", memberId));
        }
        if (_members.TryGetValue(request.MemberId, out var member))
        {
            return Rejoin(member, request, nowMs);
        }
        if (!IsPendingMemberId(request.MemberId, nowMs))
        {
            return Refuse(request, ErrorCode.UnknownMemberId, $"{Describe(request.MemberId)} is not known; rejoin with an empty member id");
        }
        if (IsFull())
        {
            _pendingMemberIds.Remove(request.MemberId);
            return Refuse(request, ErrorCode.GroupMaxSizeReached, $"group '{_groupId}' has {_members.Count} members, group.max.size");
        }
        _pendingMemberIds.Remove(request.MemberId);
        return AddAndRebalance(new ClassicMember(request.MemberId, request), nowMs);
    }

    private Task<JoinGroupResponse> JoinStatic(JoinGroupRequest request, string instanceId, long nowMs)
    {
        if (_staticMembers.TryGetValue(instanceId, out var currentId))
        {
            var member = _members[currentId];
            if (request.MemberId == currentId)
            {
                return Rejoin(member, request, nowMs);
            }
            if (request.MemberId.Length == 0 || IsPendingMemberId(request.MemberId, nowMs))
            {
                _pendingMemberIds.Remove(request.MemberId);
                return ReplaceStatic(member, request, nowMs);
            }
            return Refuse(request, ErrorCode.FencedInstanceId,
                $"group instance id '{instanceId}' belongs to member '{currentId}' now; another consumer runs with the same group.instance.id");
        }
        if (request.MemberId.Length > 0 && !IsPendingMemberId(request.MemberId, nowMs))
        {
            return Refuse(request, ErrorCode.UnknownMemberId, $"{Describe(request.MemberId)} is not known; rejoin with an empty member id");
        }
        if (IsFull())
        {
            return Refuse(request, ErrorCode.GroupMaxSizeReached, $"group '{_groupId}' has {_members.Count} members, group.max.size");
        }
        // KIP-345: a static member needs no MEMBER_ID_REQUIRED round trip; its instance id is its identity.
        var memberId = request.MemberId.Length > 0 ? request.MemberId : NewStaticMemberId(instanceId);
        _pendingMemberIds.Remove(memberId);
        return AddAndRebalance(new ClassicMember(memberId, request), nowMs);
    }

    /// <summary>A known static member back with a new member id: it takes the old one's place, which is fenced.</summary>
    private Task<JoinGroupResponse> ReplaceStatic(ClassicMember member, JoinGroupRequest request, long nowMs)
    {
        var newMemberId = request.MemberId.Length > 0 ? request.MemberId : NewStaticMemberId(member.GroupInstanceId!);
        var fenced = $"group instance id '{member.GroupInstanceId}' rejoined as member '{newMemberId}'";
        CompleteJoinWithError(member, ErrorCode.FencedInstanceId, fenced);
        CompleteSyncWithError(member, ErrorCode.FencedInstanceId, fenced);
        ReplaceMemberId(member, newMemberId);
        var oldTopics = member.SubscriptionFor(_protocolName)?.Topics;
        var oldMetadata = member.MetadataFor(_protocolName);
        member.Update(request);
        member.RenewSession(nowMs);
        SubscriptionsChanged();
        var unchanged = _state == GroupStates.Stable && SameAssignmentInputs(member, oldTopics, oldMetadata);
        switch (_state)
        {
            case GroupStates.Stable when unchanged:
                // Nothing the assignment depends on changed: the member takes its old place and assignment without a
                // rebalance. A returning leader gets the members but must not assign (KIP-814's skip assignment).
                var isLeader = _leaderId == newMemberId;
                return Task.FromResult(new JoinGroupResponse(ErrorCode.None, null, _generation, _protocolType, _protocolName,
                    _leaderId ?? "", isLeader, newMemberId, isLeader ? LeaderView() : []));
            case GroupStates.Stable:
            case GroupStates.CompletingRebalance:
                // In CompletingRebalance the leader may be assigning to the old member id: assign again.
                var pending = AwaitJoin(member);
                PrepareRebalance(nowMs);
                return pending;
            default:
                var waiting = AwaitJoin(member);
                TryCompleteJoin(nowMs);
                return waiting;
        }
    }

    /// <summary>
    /// Whether a returning static member leaves the assignment as it was: the group would choose the same
    /// protocol (Kafka's test) and, for "consumer", the member subscribes to the same topics. Owned partitions
    /// and the generation in the subscription are not compared: a restarted consumer owns nothing yet, and
    /// comparing them would make every restart rebalance, which static membership exists to avoid.
    /// </summary>
    private bool SameAssignmentInputs(ClassicMember member, IReadOnlyList<string>? oldTopics, byte[] oldMetadata)
    {
        if (member.ProtocolType != _protocolType || !member.Supports(_protocolName!) || SelectProtocol() != _protocolName)
        {
            return false;
        }
        var newTopics = member.SubscriptionFor(_protocolName)?.Topics;
        if (oldTopics is null || newTopics is null)
        {
            return member.MetadataFor(_protocolName).AsSpan().SequenceEqual(oldMetadata);
        }
        return new HashSet<string>(oldTopics, StringComparer.Ordinal).SetEquals(newTopics);
    }

    /// <summary>A known member joins again (Kafka's rules per state for a current member).</summary>
    private Task<JoinGroupResponse> Rejoin(ClassicMember member, JoinGroupRequest request, long nowMs)
    {
        member.RenewSession(nowMs);
        switch (_state)
        {
            case GroupStates.PreparingRebalance:
                UpdateMember(member, request);
                var pending = AwaitJoin(member);
                TryCompleteJoin(nowMs);
                return pending;
            case GroupStates.CompletingRebalance when member.Matches(request.Protocols):
                // The member lost the join response: the same answer again.
                return Task.FromResult(JoinResponse(member));
            case GroupStates.Stable when member.MemberId != _leaderId && member.Matches(request.Protocols):
                // A follower with unchanged metadata: nothing to rebalance; it syncs to get its assignment.
                return Task.FromResult(new JoinGroupResponse(ErrorCode.None, null, _generation, _protocolType, _protocolName,
                    _leaderId ?? "", false, member.MemberId, []));
            default:
                // New metadata, or the leader asks for a rebalance (Kafka's leader rejoins when topics change).
                UpdateMember(member, request);
                var waiting = AwaitJoin(member);
                PrepareRebalance(nowMs);
                return waiting;
        }
    }

    private Task<JoinGroupResponse> AddAndRebalance(ClassicMember member, long nowMs)
    {
        AddMember(member);
        member.RenewSession(nowMs);
        var pending = AwaitJoin(member);
        if (_state == GroupStates.PreparingRebalance)
        {
            _newMemberAdded = true;
            TryCompleteJoin(nowMs);
        }
        else
        {
            PrepareRebalance(nowMs);
        }
        return pending;
    }

    private void UpdateMember(ClassicMember member, JoinGroupRequest request)
    {
        member.Update(request);
        if (_members.Count == 1)
        {
            // The only member may change what the group speaks.
            _protocolType = request.ProtocolType;
        }
        SubscriptionsChanged();
    }

    /// <summary>Parks the member's join; a join it sent before (a retry) is answered as superseded.</summary>
    private static Task<JoinGroupResponse> AwaitJoin(ClassicMember member)
    {
        CompleteJoinWithError(member, ErrorCode.RebalanceInProgress, "superseded by a newer JoinGroup from the same member");
        var pending = new TaskCompletionSource<JoinGroupResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        member.PendingJoin = pending;
        return pending.Task;
    }

    private ClassicMember? FindJoiner(string memberId, string? instanceId)
    {
        if (instanceId is not null && _staticMembers.TryGetValue(instanceId, out var current))
        {
            return _members[current];
        }
        return memberId.Length > 0 && _members.TryGetValue(memberId, out var member) ? member : null;
    }

    /// <summary>Why the joiner cannot be in this group (null when it can): the protocol type and a protocol shared with every other member.</summary>
    private string? ProtocolMismatch(JoinGroupRequest request, ClassicMember? self)
    {
        if (string.IsNullOrEmpty(request.ProtocolType) || request.Protocols.Count == 0)
        {
            return "a JoinGroup needs a protocol type and at least one protocol";
        }
        var others = _members.Count - (self is null ? 0 : 1);
        if (others == 0)
        {
            return null;
        }
        if (request.ProtocolType != _protocolType)
        {
            return $"protocol type '{request.ProtocolType}' differs from the group's '{_protocolType}'";
        }
        foreach (var protocol in request.Protocols)
        {
            var everyone = true;
            foreach (var member in _members.Values)
            {
                if (member != self && !member.Supports(protocol.Name))
                {
                    everyone = false;
                    break;
                }
            }
            if (everyone)
            {
                return null;
            }
        }
        return $"none of the protocols [{string.Join(", ", request.Protocols.Select(p => p.Name))}] is supported by every member of group '{_groupId}'";
    }

    private bool IsFull() => _members.Count >= _config.MaxSize;

    private bool IsPendingMemberId(string memberId, long nowMs)
    {
        if (!_pendingMemberIds.TryGetValue(memberId, out var deadline))
        {
            return false;
        }
        if (deadline > nowMs)
        {
            return true;
        }
        _pendingMemberIds.Remove(memberId);
        return false;
    }

    private static string NewStaticMemberId(string instanceId) => instanceId + "-" + Guid.NewGuid().ToString();

    private static Task<JoinGroupResponse> Refuse(JoinGroupRequest request, ErrorCode error, string message) =>
        Task.FromResult(JoinError(error, message, request.MemberId));
}
