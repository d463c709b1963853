using Orlog.Grains.Metrics;

namespace Orlog.Grains.Tests.Metrics;

public sealed class MetadataChangesTests
{
    private static readonly Guid _topicId = Guid.NewGuid();

    private static ClusterMetadata Metadata(long version, int controller, params PartitionMetadata[] partitions) =>
        new(version, new Dictionary<string, TopicMetadata>(StringComparer.Ordinal) { ["t"] = new("t", _topicId, new Dictionary<string, string>(), partitions) }, [], controller);

    private static PartitionMetadata Partition(int id, int leader, int leaderEpoch, params int[] isr) => new(id, leader, leaderEpoch, [1, 2, 3], isr, 0);

    [Fact]
    public void The_leader_counts_its_partitions_isr_shrinks_and_expansions()
    {
        var before = Metadata(1, 3, Partition(0, 1, 5, 1, 2, 3), Partition(1, 1, 5, 1, 2));
        var after = Metadata(2, 3, Partition(0, 1, 5, 1, 3), Partition(1, 1, 5, 1, 2, 3));

        Assert.Equal(new MetadataChanges(IsrShrinks: 1, IsrExpansions: 1, LeaderElections: 0), MetadataChanges.Between(before, after, 1));
        // Broker 2 leads neither.
        Assert.Equal(default, MetadataChanges.Between(before, after, 2));
    }

    [Fact]
    public void The_broker_hosting_the_controller_counts_partitions_given_a_new_leader()
    {
        var before = Metadata(1, 3, Partition(0, 1, 5, 1, 2, 3), Partition(1, 2, 5, 2), Partition(2, 3, 1, 3));
        // Partition 0 moves to 2 (a new epoch: not an ISR change of the old leader's), partition 1 loses its leader.
        var after = Metadata(2, 3, Partition(0, 2, 6, 2, 3), Partition(1, -1, 6, 2), Partition(2, 3, 1, 3));

        Assert.Equal(1, MetadataChanges.Between(before, after, 3).LeaderElections);
        Assert.Equal(0, MetadataChanges.Between(before, after, 1).LeaderElections);
        Assert.Equal(default, MetadataChanges.Between(before, after, 1));
        Assert.Equal(0, MetadataChanges.Between(before, after, 2).IsrShrinks);
    }

    [Fact]
    public void A_new_topic_or_one_recreated_under_its_name_is_an_assignment_not_an_election()
    {
        var empty = ClusterMetadata.Empty;
        var created = Metadata(2, 3, Partition(0, 3, 0, 1, 2, 3));
        Assert.Equal(default, MetadataChanges.Between(empty, created, 3));

        var recreated = created with
        {
            Version = 3,
            Topics = new Dictionary<string, TopicMetadata>(StringComparer.Ordinal) { ["t"] = new("t", Guid.NewGuid(), new Dictionary<string, string>(), [Partition(0, 1, 0, 1)]) },
        };
        Assert.Equal(default, MetadataChanges.Between(created, recreated, 3));
    }
}
