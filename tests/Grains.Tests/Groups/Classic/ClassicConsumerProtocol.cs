using Orlog.Grains.Groups.Assignors;
using Orlog.Grains.Groups.Classic;

namespace Orlog.Grains.Tests.Groups.Classic;

/// <summary>
/// The client side of the consumer protocol that the test consumers share (<see cref="ClassicTestConsumer"/> and
/// the grain-level one): the protocols a JoinGroup offers, and the leader's assignment (uniform: sticky and
/// balanced; cooperative withholds partitions that move).
/// </summary>
internal static class ClassicConsumerProtocol
{
    public static string ProtocolName(RebalanceMode mode) => mode == RebalanceMode.Eager ? "sticky" : "cooperative-sticky";

    /// <summary>The one protocol a consumer offers: its topics, and what it owns as of <paramref name="generation"/>.</summary>
    public static GroupProtocol[] Protocols(RebalanceMode mode, IReadOnlyList<string> topics, IEnumerable<TopicPartition> owned, int generation)
    {
        var subscription = new ConsumerSubscription(topics, null, owned.Order(PartitionOrder.Instance).ToList(), generation, null);
        return [new GroupProtocol(ProtocolName(mode), ConsumerProtocol.EncodeSubscription(subscription))];
    }

    /// <summary>Each member's subscription, by member id.</summary>
    public static Dictionary<string, ConsumerSubscription> Subscriptions(IReadOnlyList<JoinGroupMember> members) =>
        members.ToDictionary(m => m.MemberId, m => ConsumerProtocol.DecodeSubscription(m.Metadata));

    /// <summary>The leader's client-side assignment of the partitions in <paramref name="metadata"/> (partition counts by topic).</summary>
    public static List<SyncGroupAssignment> Assign(RebalanceMode mode, IReadOnlyList<JoinGroupMember> members,
        Dictionary<string, ConsumerSubscription> subscriptions, IReadOnlyDictionary<string, int> metadata)
    {
        var owned = CurrentOwners(subscriptions);
        var assignable = members.Select(m => new AssignmentMember(m.MemberId, m.GroupInstanceId,
            subscriptions[m.MemberId].Topics.ToHashSet(StringComparer.Ordinal), owned[m.MemberId])).ToList();
        var target = PartitionAssignors.Uniform.Assign(assignable, metadata);
        var handedOut = mode == RebalanceMode.Cooperative ? CooperativeAssignment.WithholdMoved(owned, target) : target;
        return handedOut.Select(a => new SyncGroupAssignment(a.Key,
            ConsumerProtocol.EncodeAssignment(new ConsumerAssignment(a.Value.Order(PartitionOrder.Instance).ToList(), null)))).ToList();
    }

    /// <summary>What each member owns by its subscription; a partition two claim goes to the claim of the newer generation.</summary>
    private static Dictionary<string, IReadOnlySet<TopicPartition>> CurrentOwners(Dictionary<string, ConsumerSubscription> subscriptions)
    {
        var newest = new Dictionary<TopicPartition, int>();
        foreach (var s in subscriptions.Values)
        {
            foreach (var tp in s.OwnedPartitions)
            {
                newest[tp] = Math.Max(newest.GetValueOrDefault(tp, int.MinValue), s.GenerationId);
            }
        }
        return subscriptions.ToDictionary(
            s => s.Key,
            s => (IReadOnlySet<TopicPartition>)s.Value.OwnedPartitions.Where(tp => newest[tp] == s.Value.GenerationId).ToHashSet());
    }
}
