namespace Orlog.Grains.Groups.Classic;

/// <summary>
/// Kafka's ConsumerProtocolAssignment: what the leader of a classic group hands each member in SyncGroup.
/// </summary>
/// <param name="Partitions">The partitions assigned to the member.</param>
/// <param name="UserData">The assignor's opaque bytes (null when none).</param>
public sealed record ConsumerAssignment(IReadOnlyList<TopicPartition> Partitions, byte[]? UserData);
