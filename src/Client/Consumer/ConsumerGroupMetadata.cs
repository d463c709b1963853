namespace Orlog.Client;

/// <summary>A consumer's place in its group, for a transactional producer's SendOffsetsToTransaction (Confluent.Kafka's IConsumerGroupMetadata).</summary>
public interface IConsumerGroupMetadata
{
}

/// <summary>The group, the member id and its epoch when <see cref="IConsumer{TKey, TValue}.ConsumerGroupMetadata"/> was read.</summary>
public sealed record ConsumerGroupMetadata(string GroupId, string MemberId, int MemberEpoch, string? GroupInstanceId) : IConsumerGroupMetadata;
