namespace Orlog.Grains.Groups.Classic;

internal sealed partial class ClassicGroupMembership
{
    /// <summary>
    /// Expires unused MEMBER_ID_REQUIRED ids, evicts members whose session ended, ends a join phase whose time
    /// is up, and removes members that did not sync in time.
    /// </summary>
    public bool Tick(long nowMs)
    {
        var changed = ExpirePendingMemberIds(nowMs);
        changed |= EvictExpiredSessions(nowMs);
        if (_state == GroupStates.PreparingRebalance && nowMs >= _joinDeadlineMs)
        {
            changed = true;
            if (_inInitialDelay && _newMemberAdded && _initialDelayRemainingMs > 0)
            {
                // Kafka's delayed initial join: every new joiner buys the others one more delay, within the rebalance timeout.
                var delay = Math.Min(_config.InitialRebalanceDelayMs, _initialDelayRemainingMs);
                _initialDelayRemainingMs -= delay;
                _joinDeadlineMs = nowMs + delay;
                _newMemberAdded = false;
            }
            else
            {
                _inInitialDelay = false;
                CompleteJoin(nowMs);
            }
        }
        if (_state is GroupStates.CompletingRebalance or GroupStates.Stable && _pendingSync.Count > 0 && nowMs >= _syncDeadlineMs)
        {
            changed = true;
            foreach (var memberId in _pendingSync.ToList())
            {
                RemoveMember(_members[memberId], ErrorCode.UnknownMemberId, $"{Describe(memberId)} did not send SyncGroup within the rebalance timeout");
            }
            PrepareRebalance(nowMs);
        }
        return changed;
    }

    private bool ExpirePendingMemberIds(long nowMs)
    {
        var expired = _pendingMemberIds.Where(p => p.Value <= nowMs).Select(p => p.Key).ToList();
        foreach (var memberId in expired)
        {
            _pendingMemberIds.Remove(memberId);
        }
        if (expired.Count > 0)
        {
            TryCompleteJoin(nowMs);
        }
        return expired.Count > 0;
    }

    private bool EvictExpiredSessions(long nowMs)
    {
        var expired = new List<ClassicMember>();
        foreach (var member in _members.Values)
        {
            // A member waiting on a join or sync is bounded by the rebalance timeout instead (as Kafka keeps it alive).
            if (member.SessionDeadlineMs <= nowMs && member.PendingJoin is null && member.PendingSync is null)
            {
                expired.Add(member);
            }
        }
        if (expired.Count == 0)
        {
            return false;
        }
        foreach (var member in expired)
        {
            RemoveMember(member, ErrorCode.UnknownMemberId, $"{Describe(member.MemberId)} left: its session of {member.SessionTimeoutMs} ms expired");
        }
        MembersLeft(nowMs);
        return true;
    }

    /// <summary>After members went: the others rebalance (an empty group becomes Empty through the same path).</summary>
    private void MembersLeft(long nowMs)
    {
        if (_state == GroupStates.PreparingRebalance)
        {
            TryCompleteJoin(nowMs);
        }
        else
        {
            PrepareRebalance(nowMs);
        }
    }

    /// <summary>Starts a rebalance: every member must rejoin within the rebalance timeout (or the initial delay, from Empty).</summary>
    private void PrepareRebalance(long nowMs)
    {
        if (_state == GroupStates.CompletingRebalance)
        {
            // The assignment being computed is for a generation that will not be: waiting syncs must rejoin.
            foreach (var member in _members.Values)
            {
                CompleteSyncWithError(member, ErrorCode.RebalanceInProgress, $"group '{_groupId}' is rebalancing again; rejoin");
                member.Assignment = [];
            }
        }
        _pendingSync.Clear();
        var fromEmpty = _state == GroupStates.Empty;
        _state = GroupStates.PreparingRebalance;
        var rebalanceTimeout = RebalanceTimeoutMs();
        if (fromEmpty && _config.InitialRebalanceDelayMs > 0)
        {
            _inInitialDelay = true;
            _newMemberAdded = false;
            _joinDeadlineMs = nowMs + _config.InitialRebalanceDelayMs;
            _initialDelayRemainingMs = Math.Max(rebalanceTimeout - _config.InitialRebalanceDelayMs, 0);
        }
        else
        {
            _inInitialDelay = false;
            _joinDeadlineMs = nowMs + rebalanceTimeout;
        }
        TryCompleteJoin(nowMs);
    }

    /// <summary>Ends the join phase early when every member (and every joiner holding a new member id) has joined.</summary>
    private void TryCompleteJoin(long nowMs)
    {
        if (_state != GroupStates.PreparingRebalance)
        {
            return;
        }
        if (_members.Count == 0)
        {
            CompleteJoin(nowMs);
            return;
        }
        if (_inInitialDelay || _pendingMemberIds.Count > 0)
        {
            return;
        }
        foreach (var member in _members.Values)
        {
            if (member.PendingJoin is null)
            {
                return;
            }
        }
        CompleteJoin(nowMs);
    }

    /// <summary>
    /// Ends the join phase: dynamic members that did not rejoin are removed (static ones stay until their session
    /// ends, as KIP-345 has it), the generation moves on, a protocol and a leader are chosen and every waiting
    /// join is answered.
    /// </summary>
    private void CompleteJoin(long nowMs)
    {
        var laggards = _members.Values.Where(m => m.PendingJoin is null && !m.IsStatic).ToList();
        foreach (var member in laggards)
        {
            RemoveMember(member, ErrorCode.UnknownMemberId, $"{Describe(member.MemberId)} did not rejoin within the rebalance timeout");
        }
        _inInitialDelay = false;
        if (_members.Count == 0)
        {
            _generation++;
            _protocolName = null;
            _leaderId = null;
            _state = GroupStates.Empty;
            return;
        }
        var joined = _members.Values.FirstOrDefault(m => m.PendingJoin is not null);
        if (joined is null)
        {
            // Only static members that have not rejoined: wait another rebalance timeout for them or their sessions.
            _joinDeadlineMs = nowMs + RebalanceTimeoutMs();
            return;
        }
        if (_leaderId is null || _members[_leaderId].PendingJoin is null)
        {
            _leaderId = joined.MemberId;
        }
        _generation++;
        _protocolName = SelectProtocol();
        _state = GroupStates.CompletingRebalance;
        _pendingSync.Clear();
        _syncDeadlineMs = nowMs + RebalanceTimeoutMs();
        SubscriptionsChanged();
        foreach (var member in _members.Values)
        {
            _pendingSync.Add(member.MemberId);
            member.RenewSession(nowMs);
            if (member.PendingJoin is { } pending)
            {
                member.PendingJoin = null;
                pending.TrySetResult(JoinResponse(member));
            }
        }
    }

    /// <summary>Among the protocols every member supports, the one most members list first (ties: the leader's order).</summary>
    private string SelectProtocol()
    {
        var candidates = new List<string>();
        foreach (var protocol in _members[_leaderId!].Protocols)
        {
            if (!candidates.Contains(protocol.Name) && _members.Values.All(m => m.Supports(protocol.Name)))
            {
                candidates.Add(protocol.Name);
            }
        }
        var votes = new int[candidates.Count];
        foreach (var member in _members.Values)
        {
            foreach (var protocol in member.Protocols)
            {
                var index = candidates.IndexOf(protocol.Name);
                if (index >= 0)
                {
                    votes[index]++;
                    break;
                }
            }
        }
        var best = 0;
        for (var i = 1; i < votes.Length; i++)
        {
            if (votes[i] > votes[best])
            {
                best = i;
            }
        }
        return candidates[best];
    }

    /// <summary>The JoinGroup answer for the current generation: the leader also gets every member's metadata.</summary>
    private JoinGroupResponse JoinResponse(ClassicMember member)
    {
        var isLeader = member.MemberId == _leaderId;
        return new JoinGroupResponse(ErrorCode.None, null, _generation, _protocolType, _protocolName, _leaderId ?? "", false,
            member.MemberId, isLeader ? LeaderView() : []);
    }

    private List<JoinGroupMember> LeaderView() =>
        _members.Values.Select(m => new JoinGroupMember(m.MemberId, m.GroupInstanceId, m.MetadataFor(_protocolName))).ToList();
}
