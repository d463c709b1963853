namespace Orlog.Grains.Groups.Consumer;

/// <summary>Saving the members and target assignment with the group's state, and taking them back.</summary>
internal sealed partial class ConsumerGroupMembership
{
    /// <summary>The members and target assignment now, in a stable order (equal groups give equal snapshots).</summary>
    public ConsumerGroupSnapshot Snapshot()
    {
        var snapshot = new ConsumerGroupSnapshot { Epoch = Epoch, AssignmentEpoch = _assignmentEpoch };
        foreach (var member in _members.Values.OrderBy(m => m.MemberId, StringComparer.Ordinal))
        {
            snapshot.Members.Add(new ConsumerGroupMemberRecord
            {
                MemberId = member.MemberId,
                InstanceId = member.InstanceId,
                ClientId = member.ClientId,
                ClientHost = member.ClientHost,
                SessionTimeoutMs = member.SessionTimeoutMs,
                RebalanceTimeoutMs = member.RebalanceTimeoutMs,
                ServerAssignor = member.ServerAssignor,
                SubscribedTopicNames = [.. member.SubscribedTopicNames.Order(StringComparer.Ordinal)],
                SubscribedTopicRegex = member.SubscribedTopicRegex,
                ResolvedTopics = [.. member.ResolvedTopics.Order(StringComparer.Ordinal)],
                MemberEpoch = member.MemberEpoch,
                PreviousMemberEpoch = member.PreviousMemberEpoch,
                Owned = Sorted(member.Owned),
                Revoking = Sorted(member.Revoking),
                StaticLeft = member.StaticLeft,
            });
        }
        foreach (var (memberId, partitions) in _target.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            snapshot.Target[memberId] = Sorted(partitions);
        }
        return snapshot;
    }

    /// <summary>
    /// A membership taken back from <paramref name="snapshot"/>: every
    /// member gets a full session (and, when it is giving partitions up, a full rebalance timeout) from
    /// <paramref name="nowMs"/>, and is sent its whole assignment on its next heartbeat.
    /// </summary>
    public static ConsumerGroupMembership Restore(string groupId, Hosting.GroupConfig config, ConsumerGroupSnapshot snapshot,
        IReadOnlyDictionary<string, int> partitionCounts, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var membership = new ConsumerGroupMembership(groupId, config, snapshot.Epoch) { _assignmentEpoch = snapshot.AssignmentEpoch, _partitionCounts = partitionCounts };
        foreach (var record in snapshot.Members)
        {
            var member = new ConsumerGroupMember(record.MemberId)
            {
                InstanceId = record.InstanceId,
                ClientId = record.ClientId,
                ClientHost = record.ClientHost,
                SessionTimeoutMs = record.SessionTimeoutMs,
                RebalanceTimeoutMs = record.RebalanceTimeoutMs,
                ServerAssignor = record.ServerAssignor,
                SubscribedTopicNames = new HashSet<string>(record.SubscribedTopicNames, StringComparer.Ordinal),
                SubscribedTopicRegex = record.SubscribedTopicRegex,
                CompiledRegex = Compile(record.SubscribedTopicRegex),
                ResolvedTopics = new HashSet<string>(record.ResolvedTopics, StringComparer.Ordinal),
                MemberEpoch = record.MemberEpoch,
                PreviousMemberEpoch = record.PreviousMemberEpoch,
                StaticLeft = record.StaticLeft,
                SessionDeadlineMs = nowMs + record.SessionTimeoutMs,
            };
            member.Owned.UnionWith(record.Owned);
            member.Revoking.UnionWith(record.Revoking);
            if (member.Revoking.Count > 0)
            {
                member.RevocationDeadlineMs = nowMs + record.RebalanceTimeoutMs;
            }
            membership._members[member.MemberId] = member;
            if (member.InstanceId is { } instanceId)
            {
                membership._instances[instanceId] = member.MemberId;
            }
            foreach (var partition in member.Owned)
            {
                membership._owners[partition] = member.MemberId;
            }
        }
        var target = new Dictionary<string, IReadOnlySet<TopicPartition>>(StringComparer.Ordinal);
        foreach (var (memberId, partitions) in snapshot.Target)
        {
            target[memberId] = new HashSet<TopicPartition>(partitions);
        }
        membership._target = target;
        return membership;
    }

    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> hold the same members, epochs and assignments.</summary>
    public static bool SameSnapshot(ConsumerGroupSnapshot? a, ConsumerGroupSnapshot? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }
        if (a.Epoch != b.Epoch || a.AssignmentEpoch != b.AssignmentEpoch || a.Members.Count != b.Members.Count || a.Target.Count != b.Target.Count)
        {
            return false;
        }
        for (var i = 0; i < a.Members.Count; i++)
        {
            var x = a.Members[i];
            var y = b.Members[i];
            if (x.MemberId != y.MemberId || x.InstanceId != y.InstanceId || x.ClientId != y.ClientId || x.ClientHost != y.ClientHost
                || x.SessionTimeoutMs != y.SessionTimeoutMs || x.RebalanceTimeoutMs != y.RebalanceTimeoutMs || x.ServerAssignor != y.ServerAssignor
                || x.SubscribedTopicRegex != y.SubscribedTopicRegex || x.MemberEpoch != y.MemberEpoch || x.PreviousMemberEpoch != y.PreviousMemberEpoch
                || x.StaticLeft != y.StaticLeft || !x.SubscribedTopicNames.SequenceEqual(y.SubscribedTopicNames, StringComparer.Ordinal)
                || !x.ResolvedTopics.SequenceEqual(y.ResolvedTopics, StringComparer.Ordinal) || !x.Owned.SequenceEqual(y.Owned) || !x.Revoking.SequenceEqual(y.Revoking))
            {
                return false;
            }
        }
        foreach (var (memberId, partitions) in a.Target)
        {
            if (!b.Target.TryGetValue(memberId, out var other) || !partitions.SequenceEqual(other))
            {
                return false;
            }
        }
        return true;
    }
}
