namespace Orlog.Client;

/// <summary>A member of a consumer group.</summary>
/// <param name="MemberId">The member's id.</param>
/// <param name="GroupInstanceId">The static member's group.instance.id, or null.</param>
/// <param name="ClientId">The member's client.id.</param>
/// <param name="Host">The host the member connected from.</param>
/// <param name="Assignment">The partitions the member owns now.</param>
public sealed record MemberDescription(string MemberId, string? GroupInstanceId, string ClientId, string Host, IReadOnlyList<TopicPartition> Assignment);
