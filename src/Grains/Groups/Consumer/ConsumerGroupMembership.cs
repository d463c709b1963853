using System.Text.RegularExpressions;
using Orlog.Grains.Groups.Assignors;
using Orlog.Grains.Hosting;

namespace Orlog.Grains.Groups.Consumer;

/// <summary>
/// A group in the server-side dialect, after Kafka's KIP-848. Any change to who is in the group, what they
/// subscribe to or the topics they subscribe to bumps the group epoch; the target assignment is then computed
/// again by the server-side assignor. Each member reconciles on its own heartbeats, incrementally: it first
/// gives up what it no longer has in the target (keeping its epoch), then moves to the new epoch and receives
/// the target partitions that nobody else owns any more. A partition therefore has at most one owner at any
/// time, and a rebalance stops nobody: members keep consuming what does not move.
/// </summary>
internal sealed partial class ConsumerGroupMembership : IGroupMembership
{
    private readonly string _groupId;
    private readonly GroupConfig _config;
    private readonly Dictionary<string, ConsumerGroupMember> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _instances = new(StringComparer.Ordinal);
    private readonly Dictionary<TopicPartition, string> _owners = [];
    private Dictionary<string, IReadOnlySet<TopicPartition>> _target = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, int> _partitionCounts = new Dictionary<string, int>(StringComparer.Ordinal);
    private int _assignmentEpoch;

    /// <param name="groupId">The group's id, for messages.</param>
    /// <param name="config">The broker's group settings.</param>
    /// <param name="epoch">The group epoch to continue from (persisted, so epochs never repeat after a restart).</param>
    public ConsumerGroupMembership(string groupId, GroupConfig config, int epoch)
    {
        _groupId = groupId;
        _config = config;
        Epoch = epoch;
        _assignmentEpoch = epoch;
    }

    public string Dialect => GroupDialects.Consumer;

    public int Epoch { get; private set; }

    public bool IsEmpty => _members.Count == 0;

    public int MemberCount => _members.Count;

    public bool HasMember(string memberId) => _members.ContainsKey(memberId);

    public string ProtocolType => GroupProtocolTypes.Consumer;

    public string ProtocolName => Assignor().Name;

    public string State
    {
        get
        {
            if (_members.Count == 0)
            {
                return GroupStates.Empty;
            }
            if (Epoch > _assignmentEpoch)
            {
                return GroupStates.Assigning;
            }
            foreach (var member in _members.Values)
            {
                if (member.MemberEpoch != _assignmentEpoch || member.Revoking.Count > 0 || !member.Owned.SetEquals(TargetOf(member.MemberId)))
                {
                    return GroupStates.Reconciling;
                }
            }
            return GroupStates.Stable;
        }
    }

    public IReadOnlyCollection<string> SubscribedTopics
    {
        get
        {
            var topics = new HashSet<string>(StringComparer.Ordinal);
            foreach (var member in _members.Values)
            {
                topics.UnionWith(member.SubscribedTopicNames);
                topics.UnionWith(member.ResolvedTopics);
            }
            return topics;
        }
    }

    /// <summary>True if some member subscribes with a regular expression (any new topic may then matter).</summary>
    public bool HasRegexSubscription => _members.Values.Any(m => m.CompiledRegex is not null);

    /// <summary>The owner of each owned partition (for tests and describe).</summary>
    public IReadOnlyDictionary<TopicPartition, string> Owners => _owners;

    /// <summary>Handles one ConsumerGroupHeartbeat.</summary>
    public GroupHeartbeatResponse Heartbeat(GroupHeartbeatRequest request, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return request.MemberEpoch switch
            {
                0 => Join(request, nowMs),
                GroupHeartbeatRequest.LeaveEpoch => Leave(request, staticLeave: false, nowMs),
                GroupHeartbeatRequest.StaticLeaveEpoch => Leave(request, staticLeave: true, nowMs),
                < 0 => Error(request, ErrorCode.InvalidRequest, $"Member epoch {request.MemberEpoch} is not valid: 0 joins, -1 leaves, -2 leaves for a while (static members)."),
                _ => Beat(request, nowMs),
            };
        }
        catch (GroupRequestException error)
        {
            return Error(request, error.Code, error.Message);
        }
    }

    /// <summary>
    /// Members whose next heartbeat would bring them something new: partitions to give up (their target no longer
    /// holds what they were last told to own), or, once they have nothing left to give up, partitions of their target
    /// that nobody owns any more or the new epoch (a member that keeps what it has still moves to it, and the group
    /// is Stable only when every member has). The coordinator tells them at once rather than waiting for their
    /// interval. A member still giving partitions up is not among them: its own report is what moves it on.
    /// </summary>
    public List<string> MembersWithNews()
    {
        UpdateTarget();
        var news = new List<string>();
        foreach (var member in _members.Values)
        {
            if (member.StaticLeft || member.LastSent is not { } told)
            {
                continue;
            }
            var target = TargetOf(member.MemberId);
            if (!told.IsSubsetOf(target) || (member.Revoking.Count == 0
                && (member.MemberEpoch != _assignmentEpoch || target.Any(p => !member.Owned.Contains(p) && !_owners.ContainsKey(p)))))
            {
                news.Add(member.MemberId);
            }
        }
        return news;
    }

    public ErrorCode ValidateCommit(string memberId, int generationIdOrMemberEpoch, string? groupInstanceId)
    {
        if (!_members.TryGetValue(memberId, out var member) || member.StaticLeft)
        {
            return ErrorCode.UnknownMemberId;
        }
        if (generationIdOrMemberEpoch > member.MemberEpoch)
        {
            return ErrorCode.FencedMemberEpoch;
        }
        return generationIdOrMemberEpoch < member.MemberEpoch ? ErrorCode.StaleMemberEpoch : ErrorCode.None;
    }

    public ErrorCode ValidateFetch(string memberId, int memberEpoch) => ValidateCommit(memberId, memberEpoch, null);

    public bool Tick(long nowMs)
    {
        List<ConsumerGroupMember>? expired = null;
        foreach (var member in _members.Values)
        {
            if (nowMs >= member.SessionDeadlineMs || nowMs >= member.RevocationDeadlineMs)
            {
                (expired ??= []).Add(member);
            }
        }
        if (expired is null)
        {
            return false;
        }
        foreach (var member in expired)
        {
            Remove(member);
        }
        Epoch++;
        UpdateTarget();
        return true;
    }

    public void OnMetadata(IReadOnlyDictionary<string, int> partitionCounts, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(partitionCounts);
        var before = _partitionCounts;
        _partitionCounts = partitionCounts;
        var changed = false;
        foreach (var member in _members.Values)
        {
            changed |= Resolve(member);
        }
        foreach (var topic in SubscribedTopics)
        {
            before.TryGetValue(topic, out var was);
            partitionCounts.TryGetValue(topic, out var now);
            changed |= was != now;
        }
        if (changed)
        {
            Epoch++;
            UpdateTarget();
        }
    }

    public IReadOnlyList<GroupMemberDescription> DescribeMembers()
    {
        var members = new List<GroupMemberDescription>(_members.Count);
        foreach (var member in _members.Values.OrderBy(m => m.MemberId, StringComparer.Ordinal))
        {
            members.Add(new GroupMemberDescription(
                member.MemberId,
                member.InstanceId,
                member.ClientId,
                member.ClientHost,
                member.MemberEpoch,
                Sorted(member.Owned),
                Sorted(TargetOf(member.MemberId)),
                [.. member.ResolvedTopics.Order(StringComparer.Ordinal)]));
        }
        return members;
    }

    private GroupHeartbeatResponse Join(GroupHeartbeatRequest request, long nowMs)
    {
        var memberId = string.IsNullOrEmpty(request.MemberId) ? Guid.NewGuid().ToString("N") : request.MemberId;
        if (request.SessionTimeoutMs < _config.MinSessionTimeoutMs || request.SessionTimeoutMs > _config.MaxSessionTimeoutMs)
        {
            throw new GroupRequestException(ErrorCode.InvalidSessionTimeout,
                $"session.timeout.ms={request.SessionTimeoutMs} is outside the broker's range [{_config.MinSessionTimeoutMs}, {_config.MaxSessionTimeoutMs}] (group.min.session.timeout.ms, group.max.session.timeout.ms).");
        }
        if (request.SubscribedTopicNames is null && request.SubscribedTopicRegex is null)
        {
            throw new GroupRequestException(ErrorCode.InvalidRequest, "A member joins with its subscription: topic names or a regular expression.");
        }
        var regex = Compile(request.SubscribedTopicRegex);
        CheckAssignor(request.ServerAssignor);

        // A rejoin with a member id still in the group starts that member over.
        if (_members.TryGetValue(memberId, out var stale))
        {
            Remove(stale);
            Epoch++;
        }

        ConsumerGroupMember member;
        if (request.GroupInstanceId is { } instanceId && _instances.TryGetValue(instanceId, out var previousId) && _members.TryGetValue(previousId, out var previous))
        {
            // A static member back (after leaving for a while, or restarted before its session ended): it takes
            // over the old member's partitions and epoch; the old member id is fenced. No rebalance unless its
            // subscription changed.
            _members.Remove(previousId);
            previous.MemberId = memberId;
            previous.StaticLeft = false;
            member = previous;
            foreach (var partition in member.Owned)
            {
                _owners[partition] = memberId;
            }
            if (_target.Remove(previousId, out var target))
            {
                _target[memberId] = target;
            }
            member.LastSent = null;
        }
        else
        {
            if (_members.Count >= _config.MaxSize)
            {
                throw new GroupRequestException(ErrorCode.GroupMaxSizeReached, $"Group '{_groupId}' already has {_members.Count} members (group.max.size).");
            }
            member = new ConsumerGroupMember(memberId) { InstanceId = request.GroupInstanceId, MemberEpoch = 0 };
            Epoch++;
        }
        _members[memberId] = member;
        if (member.InstanceId is { } id)
        {
            _instances[id] = memberId;
        }
        member.ClientId = request.ClientId;
        member.ClientHost = request.ClientHost;
        member.SessionTimeoutMs = request.SessionTimeoutMs;
        member.RebalanceTimeoutMs = Math.Max(1, request.RebalanceTimeoutMs);
        member.SessionDeadlineMs = nowMs + request.SessionTimeoutMs;
        if (ApplySubscription(member, request.SubscribedTopicNames, request.SubscribedTopicRegex, regex, request.ServerAssignor))
        {
            Epoch++;
        }
        return Reconcile(member, request.OwnedPartitions, nowMs);
    }

    private GroupHeartbeatResponse Beat(GroupHeartbeatRequest request, long nowMs)
    {
        if (!_members.TryGetValue(request.MemberId, out var member) || member.StaticLeft)
        {
            throw new GroupRequestException(ErrorCode.UnknownMemberId, $"Member '{request.MemberId}' is not in group '{_groupId}' (its session may have expired): rejoin with epoch 0.");
        }
        if (request.MemberEpoch != member.MemberEpoch && !(request.MemberEpoch == member.PreviousMemberEpoch && OwnsNoMoreThan(member, request.OwnedPartitions)))
        {
            Remove(member);
            Epoch++;
            UpdateTarget();
            throw new GroupRequestException(ErrorCode.FencedMemberEpoch,
                $"Member '{request.MemberId}' sent epoch {request.MemberEpoch} but is at {member.MemberEpoch}: it was fenced and must rejoin with epoch 0.");
        }
        member.SessionDeadlineMs = nowMs + member.SessionTimeoutMs;
        var regex = request.SubscribedTopicRegex is null ? null : Compile(request.SubscribedTopicRegex);
        if (request.ServerAssignor is not null)
        {
            CheckAssignor(request.ServerAssignor);
        }
        if (ApplySubscription(member, request.SubscribedTopicNames, request.SubscribedTopicRegex, regex, request.ServerAssignor))
        {
            Epoch++;
        }
        if (request.RebalanceTimeoutMs > 0)
        {
            member.RebalanceTimeoutMs = request.RebalanceTimeoutMs;
        }
        return Reconcile(member, request.OwnedPartitions, nowMs);
    }

    private GroupHeartbeatResponse Leave(GroupHeartbeatRequest request, bool staticLeave, long nowMs)
    {
        if (!_members.TryGetValue(request.MemberId, out var member))
        {
            throw new GroupRequestException(ErrorCode.UnknownMemberId, $"Member '{request.MemberId}' is not in group '{_groupId}'.");
        }
        if (staticLeave)
        {
            if (member.InstanceId is null)
            {
                throw new GroupRequestException(ErrorCode.InvalidRequest, "Only a static member (group.instance.id) may leave with epoch -2.");
            }
            // Keeps its partitions, unconsumed, until it returns or its session ends.
            member.StaticLeft = true;
            member.SessionDeadlineMs = nowMs + member.SessionTimeoutMs;
            member.RevocationDeadlineMs = long.MaxValue;
            return new GroupHeartbeatResponse(ErrorCode.None, null, member.MemberId, GroupHeartbeatRequest.StaticLeaveEpoch, 0, null);
        }
        Remove(member);
        Epoch++;
        UpdateTarget();
        return new GroupHeartbeatResponse(ErrorCode.None, null, member.MemberId, GroupHeartbeatRequest.LeaveEpoch, 0, null);
    }

    /// <summary>Moves a member towards its target assignment and answers its heartbeat.</summary>
    private GroupHeartbeatResponse Reconcile(ConsumerGroupMember member, IReadOnlyList<TopicPartition>? ownedByClient, long nowMs)
    {
        UpdateTarget();
        if (ownedByClient is not null)
        {
            // Whatever the member no longer reports is released: it let go of it.
            var reported = new HashSet<TopicPartition>(ownedByClient);
            List<TopicPartition>? released = null;
            foreach (var partition in member.Revoking)
            {
                if (!reported.Contains(partition))
                {
                    (released ??= []).Add(partition);
                }
            }
            if (released is not null)
            {
                foreach (var partition in released)
                {
                    Release(member, partition);
                }
            }
        }

        // What the member owns outside its target it must give up first (a partition back in the target stays).
        var target = TargetOf(member.MemberId);
        member.Revoking.Clear();
        foreach (var partition in member.Owned)
        {
            if (!target.Contains(partition))
            {
                member.Revoking.Add(partition);
            }
        }

        if (member.Revoking.Count > 0)
        {
            if (member.RevocationDeadlineMs == long.MaxValue)
            {
                member.RevocationDeadlineMs = nowMs + member.RebalanceTimeoutMs;
            }
        }
        else
        {
            member.RevocationDeadlineMs = long.MaxValue;
            foreach (var partition in target)
            {
                if (!_owners.ContainsKey(partition))
                {
                    _owners[partition] = member.MemberId;
                    member.Owned.Add(partition);
                }
            }
            if (member.MemberEpoch != _assignmentEpoch)
            {
                member.PreviousMemberEpoch = member.MemberEpoch;
                member.MemberEpoch = _assignmentEpoch;
            }
        }

        // The assignment goes out when it changed, or when the member's report shows it does not have it yet.
        var view = member.CurrentView();
        IReadOnlyList<TopicPartition>? assignment = null;
        if (member.LastSent is null || !member.LastSent.SetEquals(view) || (ownedByClient is not null && !view.SetEquals(ownedByClient)))
        {
            assignment = Sorted(view);
            member.LastSent = view;
        }
        return new GroupHeartbeatResponse(ErrorCode.None, null, member.MemberId, member.MemberEpoch, HeartbeatIntervalMs(member), assignment);
    }

    private int HeartbeatIntervalMs(ConsumerGroupMember member) =>
        Math.Max(1, Math.Min(_config.ConsumerHeartbeatIntervalMs, member.SessionTimeoutMs / 3));

    /// <summary>Computes the target assignment again if the group epoch moved past it.</summary>
    private void UpdateTarget()
    {
        if (Epoch == _assignmentEpoch && _target.Count == _members.Count)
        {
            return;
        }
        var members = new List<AssignmentMember>(_members.Count);
        foreach (var member in _members.Values)
        {
            // Stickiness starts from the previous target (what the member is moving to), or what it owns.
            var current = _target.TryGetValue(member.MemberId, out var previous) ? previous : member.Owned;
            members.Add(new AssignmentMember(member.MemberId, member.InstanceId, member.ResolvedTopics, current));
        }
        var assigned = Assignor().Assign(members, _partitionCounts);
        _target = new Dictionary<string, IReadOnlySet<TopicPartition>>(assigned, StringComparer.Ordinal);
        _assignmentEpoch = Epoch;
    }

    private IPartitionAssignor Assignor()
    {
        // The assignor most members ask for; the default when none does (ties: by name, for determinism).
        string? chosen = null;
        var best = 0;
        foreach (var group in _members.Values.Where(m => m.ServerAssignor is not null).GroupBy(m => m.ServerAssignor!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var count = group.Count();
            if (count > best)
            {
                best = count;
                chosen = group.Key;
            }
        }
        return PartitionAssignors.Find(chosen ?? PartitionAssignors.DefaultName) ?? PartitionAssignors.Uniform;
    }

    private IReadOnlySet<TopicPartition> TargetOf(string memberId) =>
        _target.TryGetValue(memberId, out var target) ? target : new HashSet<TopicPartition>();

    private bool ApplySubscription(ConsumerGroupMember member, IReadOnlyList<string>? names, string? regexText, Regex? regex, string? assignor)
    {
        var changed = false;
        if (names is not null && !member.SubscribedTopicNames.SetEquals(names))
        {
            member.SubscribedTopicNames = new HashSet<string>(names, StringComparer.Ordinal);
            changed = true;
        }
        if (regexText is not null && !string.Equals(regexText, member.SubscribedTopicRegex ?? "", StringComparison.Ordinal))
        {
            member.SubscribedTopicRegex = regexText.Length == 0 ? null : regexText;
            member.CompiledRegex = regex;
            changed = true;
        }
        if (assignor is not null && !string.Equals(assignor, member.ServerAssignor ?? "", StringComparison.Ordinal))
        {
            member.ServerAssignor = assignor.Length == 0 ? null : assignor;
            changed = true;
        }
        changed |= Resolve(member);
        return changed;
    }

    /// <summary>The member's topics: its names and the existing topics its regex matches. True if they changed.</summary>
    private bool Resolve(ConsumerGroupMember member)
    {
        var topics = new HashSet<string>(member.SubscribedTopicNames, StringComparer.Ordinal);
        if (member.CompiledRegex is { } regex)
        {
            foreach (var topic in _partitionCounts.Keys)
            {
                if (regex.IsMatch(topic))
                {
                    topics.Add(topic);
                }
            }
        }
        if (topics.SetEquals(member.ResolvedTopics))
        {
            return false;
        }
        member.ResolvedTopics = topics;
        return true;
    }

    private static Regex? Compile(string? pattern)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            return null;
        }
        try
        {
            // Kafka matches the whole topic name.
            return new Regex($"^(?:{pattern})$", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException error)
        {
            throw new GroupRequestException(ErrorCode.InvalidRegularExpression, $"The subscription '{pattern}' is not a valid regular expression: {error.Message}");
        }
    }

    private static void CheckAssignor(string? name)
    {
        if (!string.IsNullOrEmpty(name) && PartitionAssignors.Find(name) is null)
        {
            throw new GroupRequestException(ErrorCode.UnsupportedAssignor,
                $"The server-side assignor '{name}' is not known; the broker has: {string.Join(", ", PartitionAssignors.Names)}.");
        }
    }

    private static bool OwnsNoMoreThan(ConsumerGroupMember member, IReadOnlyList<TopicPartition>? owned)
    {
        if (owned is null)
        {
            return true;
        }
        foreach (var partition in owned)
        {
            if (!member.Owned.Contains(partition))
            {
                return false;
            }
        }
        return true;
    }

    private void Release(ConsumerGroupMember member, TopicPartition partition)
    {
        member.Owned.Remove(partition);
        member.Revoking.Remove(partition);
        if (_owners.TryGetValue(partition, out var owner) && owner == member.MemberId)
        {
            _owners.Remove(partition);
        }
    }

    /// <summary>Takes a member out of the group; its partitions are free at once.</summary>
    private void Remove(ConsumerGroupMember member)
    {
        foreach (var partition in member.Owned.ToList())
        {
            Release(member, partition);
        }
        _members.Remove(member.MemberId);
        _target.Remove(member.MemberId);
        if (member.InstanceId is { } instanceId && _instances.TryGetValue(instanceId, out var mapped) && mapped == member.MemberId)
        {
            _instances.Remove(instanceId);
        }
    }

    private static List<TopicPartition> Sorted(IEnumerable<TopicPartition> partitions) =>
        [.. partitions.OrderBy(p => p.Topic, StringComparer.Ordinal).ThenBy(p => p.Partition)];

    private static GroupHeartbeatResponse Error(GroupHeartbeatRequest request, ErrorCode code, string message) =>
        new(code, message, request.MemberId, request.MemberEpoch, 0, null);
}
