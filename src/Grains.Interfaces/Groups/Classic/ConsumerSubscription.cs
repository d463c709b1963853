namespace Orlog.Grains.Groups.Classic;

/// <summary>
/// Kafka's ConsumerProtocolSubscription: what a classic consumer puts in its JoinGroup protocol metadata.
/// </summary>
/// <param name="Topics">The topics the member subscribes to.</param>
/// <param name="UserData">The assignor's opaque bytes (null when none).</param>
/// <param name="OwnedPartitions">The partitions the member owns now (v1+; cooperative rebalancing relies on it).</param>
/// <param name="GenerationId">The generation the owned partitions belong to (v2+; -1 when unknown).</param>
/// <param name="RackId">The member's rack (v3+; null when none).</param>
public sealed record ConsumerSubscription(
    IReadOnlyList<string> Topics,
    byte[]? UserData,
    IReadOnlyList<TopicPartition> OwnedPartitions,
    int GenerationId,
    string? RackId)
{
    /// <summary>The generation of a member that owns nothing from a known generation.</summary>
    public const int NoGeneration = -1;
}
