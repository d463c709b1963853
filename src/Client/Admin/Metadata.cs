namespace Orlog.Client;

/// <summary>The cluster's brokers and topics as <see cref="IAdminClient.GetMetadata(TimeSpan)"/> returns them (Confluent.Kafka's Metadata).</summary>
public sealed class Metadata(List<BrokerMetadata> brokers, List<TopicMetadata> topics, int originatingBrokerId, string originatingBrokerName)
{
    /// <summary>Every registered broker.</summary>
    public List<BrokerMetadata> Brokers { get; } = brokers;

    /// <summary>The topics asked for (every topic when none was named).</summary>
    public List<TopicMetadata> Topics { get; } = topics;

    /// <summary>The broker whose silo answered (the controller's), or -1.</summary>
    public int OriginatingBrokerId { get; } = originatingBrokerId;

    /// <summary>That broker's address, or "".</summary>
    public string OriginatingBrokerName { get; } = originatingBrokerName;

    public override string ToString() => $"{Brokers.Count} brokers, {Topics.Count} topics";
}

/// <summary>A broker in <see cref="Metadata"/>.</summary>
public sealed class BrokerMetadata(int brokerId, string host, int port)
{
    public int BrokerId { get; } = brokerId;
    public string Host { get; } = host;
    public int Port { get; } = port;

    public override string ToString() => $"{BrokerId} ({Host}:{Port})";
}

/// <summary>A topic in <see cref="Metadata"/>: its partitions, or the error that kept it out (UNKNOWN_TOPIC_OR_PARTITION).</summary>
public sealed class TopicMetadata(string topic, List<PartitionMetadata> partitions, Error error)
{
    public string Topic { get; } = topic;
    public List<PartitionMetadata> Partitions { get; } = partitions;
    public Error Error { get; } = error;

    public override string ToString() => Error.IsError ? $"{Topic}: {Error}" : $"{Topic}: {Partitions.Count} partitions";
}

/// <summary>A partition in <see cref="Metadata"/>: its leader (-1 when it has none), replicas and in-sync replicas by broker id.</summary>
public sealed class PartitionMetadata(int partitionId, int leader, int[] replicas, int[] inSyncReplicas, Error error)
{
    public int PartitionId { get; } = partitionId;
    public int Leader { get; } = leader;
    public int[] Replicas { get; } = replicas;
    public int[] InSyncReplicas { get; } = inSyncReplicas;
    public Error Error { get; } = error;

    public override string ToString() => $"{PartitionId}: leader {Leader}, replicas [{string.Join(",", Replicas)}], isr [{string.Join(",", InSyncReplicas)}]";
}
