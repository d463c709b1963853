namespace Orlog.Client.Admin;

/// <summary>A topic to create (Confluent.Kafka's TopicSpecification).</summary>
public sealed class TopicSpecification
{
    /// <summary>The topic's name ([a-zA-Z0-9._-], at most 249 characters, not '.' or '..').</summary>
    public string Name { get; set; } = "";

    /// <summary>The partition count; -1 (the default) for the broker's num.partitions.</summary>
    public int NumPartitions { get; set; } = -1;

    /// <summary>Replicas per partition; -1 (the default) for the broker's default.replication.factor.</summary>
    public short ReplicationFactor { get; set; } = -1;

    /// <summary>Replicas chosen by hand, by partition. Orlog places replicas itself: a topic that sets this is refused (INVALID_REQUEST); move replicas after creation with <see cref="IAdminClient.AlterPartitionReassignmentsAsync"/>.</summary>
    public Dictionary<int, List<int>>? ReplicasAssignments { get; set; }

    /// <summary>Topic config overrides by Kafka's names (retention.ms, cleanup.policy, ...).</summary>
    public Dictionary<string, string>? Configs { get; set; }
}

/// <summary>A topic to grow (Confluent.Kafka's PartitionsSpecification).</summary>
public sealed class PartitionsSpecification
{
    /// <summary>The topic's name.</summary>
    public string Topic { get; set; } = "";

    /// <summary>The partition count wanted, more than the topic has.</summary>
    public int IncreaseTo { get; set; }

    /// <summary>Replicas chosen by hand for the new partitions; Orlog places replicas itself and refuses this (INVALID_REQUEST).</summary>
    public List<List<int>>? ReplicaAssignments { get; set; }
}
