namespace Orlog.Grains.Groups.Classic;

internal sealed partial class ClassicGroupMembership
{
    private IReadOnlyCollection<string>? _subscribedTopics;

    // Every topic's partition count at the last metadata change (null until the first, which is the baseline).
    private Dictionary<string, int>? _knownPartitionCounts;

    /// <summary>The union of the members' consumer subscriptions (empty unless the protocol type is "consumer").</summary>
    public IReadOnlyCollection<string> SubscribedTopics => _subscribedTopics ??= ComputeSubscribedTopics();

    public IReadOnlyList<GroupMemberDescription> DescribeMembers()
    {
        var result = new List<GroupMemberDescription>(_members.Count);
        foreach (var member in _members.Values)
        {
            IReadOnlyList<TopicPartition> assignment = DecodeAssignment(member);
            var topics = member.SubscriptionFor(_protocolName)?.Topics ?? [];
            result.Add(new GroupMemberDescription(member.MemberId, member.GroupInstanceId, member.ClientId, member.ClientHost,
                _generation, assignment, assignment, topics));
        }
        return result;
    }

    /// <summary>
    /// A subscribed topic's partition count changed, or the topic appeared or vanished: the group rebalances
    /// (in Kafka the leader's client notices and rejoins; here the coordinator starts it). The first call
    /// only records the counts: compared with nothing, nothing changed.
    /// </summary>
    public void OnMetadata(IReadOnlyDictionary<string, int> partitionCounts, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(partitionCounts);
        var known = _knownPartitionCounts;
        _knownPartitionCounts = new Dictionary<string, int>(partitionCounts, StringComparer.Ordinal);
        if (known is null || _state is not (GroupStates.Stable or GroupStates.CompletingRebalance))
        {
            // A group rebalancing now assigns with the new metadata anyway.
            return;
        }
        foreach (var topic in SubscribedTopics)
        {
            var had = known.TryGetValue(topic, out var before);
            var has = partitionCounts.TryGetValue(topic, out var now);
            if (had != has || before != now)
            {
                PrepareRebalance(nowMs);
                return;
            }
        }
    }

    private void SubscriptionsChanged() => _subscribedTopics = null;

    private HashSet<string> ComputeSubscribedTopics()
    {
        var topics = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in _members.Values)
        {
            if (member.SubscriptionFor(_protocolName) is { } subscription)
            {
                topics.UnionWith(subscription.Topics);
            }
        }
        return topics;
    }

    /// <summary>What the member owns as describe shows it: only in Stable (as Kafka), decoded for "consumer" groups.</summary>
    private IReadOnlyList<TopicPartition> DecodeAssignment(ClassicMember member)
    {
        if (_state != GroupStates.Stable || _protocolType != GroupProtocolTypes.Consumer || member.Assignment.Length == 0)
        {
            return [];
        }
        try
        {
            return ConsumerProtocol.DecodeAssignment(member.Assignment).Partitions;
        }
        catch (Orlog.Client.KafkaException)
        {
            // The leader's bytes are relayed opaquely; bytes that are not a consumer assignment show as nothing.
            return [];
        }
    }
}
