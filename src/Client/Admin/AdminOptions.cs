namespace Orlog.Client.Admin;

// The options of each admin call, as Confluent.Kafka has them. RequestTimeout bounds the whole call (request.timeout.ms
// when null); OperationTimeout is accepted and has no effect: Orlog's controller answers once a change is committed.

/// <summary>Options of <see cref="IAdminClient.CreateTopicsAsync"/>.</summary>
public sealed class CreateTopicsOptions
{
    /// <summary>Checks the topics (name, partitions, replication factor, configs) and creates none.</summary>
    public bool ValidateOnly { get; set; }
    public TimeSpan? RequestTimeout { get; set; }
    public TimeSpan? OperationTimeout { get; set; }
}

/// <summary>Options of <see cref="IAdminClient.DeleteTopicsAsync"/>.</summary>
public sealed class DeleteTopicsOptions
{
    public TimeSpan? RequestTimeout { get; set; }
    public TimeSpan? OperationTimeout { get; set; }
}

/// <summary>Options of <see cref="IAdminClient.CreatePartitionsAsync(IEnumerable{PartitionsSpecification}, CreatePartitionsOptions?, CancellationToken)"/>.</summary>
public sealed class CreatePartitionsOptions
{
    /// <summary>Checks the requests and grows no topic.</summary>
    public bool ValidateOnly { get; set; }
    public TimeSpan? RequestTimeout { get; set; }
    public TimeSpan? OperationTimeout { get; set; }
}

/// <summary>Options of <see cref="IAdminClient.DescribeConfigsAsync"/>.</summary>
public sealed class DescribeConfigsOptions
{
    public TimeSpan? RequestTimeout { get; set; }
}

/// <summary>Options of <see cref="IAdminClient.AlterConfigsAsync(Dictionary{ConfigResource, List{ConfigEntry}}, AlterConfigsOptions?, CancellationToken)"/>.</summary>
public sealed class AlterConfigsOptions
{
    /// <summary>Checks the configs and changes nothing.</summary>
    public bool ValidateOnly { get; set; }
    public TimeSpan? RequestTimeout { get; set; }
}

/// <summary>Options of <see cref="IAdminClient.IncrementalAlterConfigsAsync"/>.</summary>
public sealed class IncrementalAlterConfigsOptions
{
    /// <summary>Checks the configs and changes nothing.</summary>
    public bool ValidateOnly { get; set; }
    public TimeSpan? RequestTimeout { get; set; }
}

/// <summary>Options of <see cref="IAdminClient.ListConsumerGroupsAsync"/>.</summary>
public sealed class ListConsumerGroupsOptions
{
    public TimeSpan? RequestTimeout { get; set; }

    /// <summary>Only groups in these states (every group when null or empty).</summary>
    public IEnumerable<ConsumerGroupState>? MatchStates { get; set; }

    /// <summary>Only groups of these types (every group when null or empty).</summary>
    public IEnumerable<ConsumerGroupType>? MatchTypes { get; set; }
}

/// <summary>Options of <see cref="IAdminClient.DescribeConsumerGroupsAsync"/>.</summary>
public sealed class DescribeConsumerGroupsOptions
{
    public TimeSpan? RequestTimeout { get; set; }

    /// <summary>No effect: Orlog has no ACLs, so no operations are listed.</summary>
    public bool IncludeAuthorizedOperations { get; set; }
}

/// <summary>Options of <see cref="IAdminClient.DeleteGroupsAsync"/>.</summary>
public sealed class DeleteGroupsOptions
{
    public TimeSpan? RequestTimeout { get; set; }
    public TimeSpan? OperationTimeout { get; set; }
}

/// <summary>Options of <see cref="IAdminClient.ListConsumerGroupOffsetsAsync(IEnumerable{ConsumerGroupTopicPartitions}, ListConsumerGroupOffsetsOptions?, CancellationToken)"/>.</summary>
public sealed class ListConsumerGroupOffsetsOptions
{
    public TimeSpan? RequestTimeout { get; set; }

    /// <summary>No effect: Orlog has no transactions, so every committed offset is stable.</summary>
    public bool RequireStableOffsets { get; set; }
}

/// <summary>Options of <see cref="IAdminClient.AlterConsumerGroupOffsetsAsync(IEnumerable{ConsumerGroupTopicPartitionOffsets}, AlterConsumerGroupOffsetsOptions?, CancellationToken)"/>.</summary>
public sealed class AlterConsumerGroupOffsetsOptions
{
    public TimeSpan? RequestTimeout { get; set; }
}

/// <summary>Options of <see cref="IAdminClient.DescribeTopicsAsync(TopicCollection, DescribeTopicsOptions?, CancellationToken)"/>.</summary>
public sealed class DescribeTopicsOptions
{
    public TimeSpan? RequestTimeout { get; set; }

    /// <summary>No effect: Orlog has no ACLs, so no operations are listed.</summary>
    public bool IncludeAuthorizedOperations { get; set; }
}

/// <summary>Options of <see cref="IAdminClient.DescribeClusterAsync"/>.</summary>
public sealed class DescribeClusterOptions
{
    public TimeSpan? RequestTimeout { get; set; }

    /// <summary>No effect: Orlog has no ACLs, so no operations are listed.</summary>
    public bool IncludeAuthorizedOperations { get; set; }
}

/// <summary>Options of <see cref="IAdminClient.ListOffsetsAsync(IEnumerable{TopicPartitionOffsetSpec}, ListOffsetsOptions?, CancellationToken)"/>.</summary>
public sealed class ListOffsetsOptions
{
    public TimeSpan? RequestTimeout { get; set; }

    /// <summary>Either level reads up to the high watermark: Orlog has no transactions.</summary>
    public IsolationLevel IsolationLevel { get; set; } = IsolationLevel.ReadUncommitted;
}

/// <summary>Options of <see cref="IAdminClient.DeleteRecordsAsync"/>.</summary>
public sealed class DeleteRecordsOptions
{
    public TimeSpan? RequestTimeout { get; set; }
    public TimeSpan? OperationTimeout { get; set; }
}
