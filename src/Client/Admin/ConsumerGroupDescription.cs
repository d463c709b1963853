namespace Orlog.Client;

/// <summary>A consumer group as <see cref="IAdminClient.DescribeConsumerGroupAsync"/> describes it.</summary>
/// <param name="GroupId">The group's id.</param>
/// <param name="State">Kafka's state name (Empty, Stable, PreparingRebalance, CompletingRebalance, Assigning, Reconciling).</param>
/// <param name="Type">Kafka's group type: "consumer" (server-side assignment) or "classic".</param>
/// <param name="PartitionAssignor">The server-side assignor, or the protocol the classic group chose ("" when none).</param>
/// <param name="Epoch">The group epoch (server-side) or generation (classic).</param>
/// <param name="Members">The members with the partitions they own now.</param>
/// <param name="Partitions">One row per partition that is assigned or has a committed offset, by topic and partition.</param>
/// <param name="Coordinator">The id of the broker whose silo hosts the group's coordinator.</param>
public sealed record ConsumerGroupDescription(
    string GroupId,
    string State,
    string Type,
    string PartitionAssignor,
    int Epoch,
    IReadOnlyList<MemberDescription> Members,
    IReadOnlyList<GroupPartitionLag> Partitions,
    int Coordinator);
