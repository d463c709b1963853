namespace Orlog.Client.Admin;

/// <summary>
/// A topic as the cluster describes it (Confluent.Kafka's TopicDescription, with Orlog's config overrides beside
/// it): its id and its partitions, with their offsets when described by <see cref="IAdminClient.DescribeTopicAsync"/>
/// or <see cref="IAdminClient.DescribeTopicsAsync(TopicCollection, DescribeTopicsOptions?, CancellationToken)"/>.
/// </summary>
public sealed class TopicDescription
{
    public string Name { get; init; } = "";

    /// <summary>The topic's id (Kafka's topic id): a re-created topic has a new one.</summary>
    public Guid TopicId { get; init; }

    /// <summary>None, or why the topic could not be described (UNKNOWN_TOPIC_OR_PARTITION).</summary>
    public Error Error { get; init; } = new(ErrorCode.None);

    /// <summary>Orlog has no internal topics (its offsets and groups live in grains).</summary>
    public bool IsInternal { get; init; }

    /// <summary>The partitions, by number.</summary>
    public List<TopicPartitionInfo> Partitions { get; init; } = [];

    /// <summary>The topic's config overrides (Kafka's topic config names).</summary>
    public IReadOnlyDictionary<string, string> Configs { get; init; } = new Dictionary<string, string>();

    public override string ToString() => Error.IsError ? $"{Name}: {Error}" : $"{Name}: {Partitions.Count} partitions";
}

/// <summary>What <see cref="IAdminClient.DescribeTopicsAsync(TopicCollection, DescribeTopicsOptions?, CancellationToken)"/> returns, in the order asked.</summary>
public sealed class DescribeTopicsResult
{
    public List<TopicDescription> TopicDescriptions { get; init; } = [];

    public override string ToString() => string.Join(", ", TopicDescriptions);
}

/// <summary>What <see cref="IAdminClient.DescribeClusterAsync"/> returns.</summary>
public sealed class DescribeClusterResult
{
    /// <summary>The cluster's id (cluster.id of the silos).</summary>
    public string? ClusterId { get; init; }

    /// <summary>The broker whose silo hosts the controller, or null while none does.</summary>
    public Node? Controller { get; init; }

    /// <summary>The brokers that are alive.</summary>
    public List<Node> Nodes { get; init; } = [];

    public override string ToString() => $"{ClusterId}: {Nodes.Count} brokers, controller {Controller?.Id}";
}
