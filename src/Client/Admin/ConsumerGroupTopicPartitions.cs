namespace Orlog.Client;

/// <summary>A group and some of its partitions: what <see cref="IAdminClient.ListConsumerGroupOffsetsAsync(IEnumerable{ConsumerGroupTopicPartitions}, Admin.ListConsumerGroupOffsetsOptions?, CancellationToken)"/> asks.</summary>
/// <param name="group">The group's id.</param>
/// <param name="topicPartitions">The partitions; null for every partition the group has an offset for.</param>
public sealed class ConsumerGroupTopicPartitions(string group, List<TopicPartition>? topicPartitions)
{
    public string Group { get; } = group;
    public List<TopicPartition>? TopicPartitions { get; } = topicPartitions;

    public override string ToString() => $"{Group}: {(TopicPartitions is null ? "all" : string.Join(", ", TopicPartitions))}";
}

/// <summary>A group and offsets to commit for it: what <see cref="IAdminClient.AlterConsumerGroupOffsetsAsync(IEnumerable{ConsumerGroupTopicPartitionOffsets}, Admin.AlterConsumerGroupOffsetsOptions?, CancellationToken)"/> asks.</summary>
public sealed class ConsumerGroupTopicPartitionOffsets(string group, List<TopicPartitionOffset> topicPartitionOffsets)
{
    public string Group { get; } = group;
    public List<TopicPartitionOffset> TopicPartitionOffsets { get; } = topicPartitionOffsets;

    public override string ToString() => $"{Group}: {string.Join(", ", TopicPartitionOffsets)}";
}
