namespace Orlog.Client.Admin;

// What a batch admin call reports per item when one of them failed: the exception carries every item's outcome
// (Error.None for those that succeeded), as Confluent.Kafka's do.

/// <summary>One topic's outcome in a <see cref="CreateTopicsException"/>.</summary>
public sealed class CreateTopicReport
{
    public string Topic { get; init; } = "";
    public Error Error { get; init; } = new(ErrorCode.None);
}

/// <summary>One topic's outcome in a <see cref="DeleteTopicsException"/>.</summary>
public sealed class DeleteTopicReport
{
    public string Topic { get; init; } = "";
    public Error Error { get; init; } = new(ErrorCode.None);
}

/// <summary>One topic's outcome in a <see cref="CreatePartitionsException"/>.</summary>
public sealed class CreatePartitionsReport
{
    public string Topic { get; init; } = "";
    public Error Error { get; init; } = new(ErrorCode.None);
}

/// <summary>One group's outcome in a <see cref="DeleteGroupsException"/>.</summary>
public sealed class DeleteGroupReport
{
    public string Group { get; init; } = "";
    public Error Error { get; init; } = new(ErrorCode.None);
}

/// <summary>One resource's outcome in a <see cref="DescribeConfigsException"/>.</summary>
public sealed class DescribeConfigsReport
{
    public required ConfigResource ConfigResource { get; init; }
    public Dictionary<string, ConfigEntryResult> Entries { get; init; } = [];
    public Error Error { get; init; } = new(ErrorCode.None);
}

/// <summary>One resource's outcome in an <see cref="AlterConfigsException"/>.</summary>
public sealed class AlterConfigsReport
{
    public required ConfigResource ConfigResource { get; init; }
    public Error Error { get; init; } = new(ErrorCode.None);
}

/// <summary>One resource's outcome in an <see cref="IncrementalAlterConfigsException"/>.</summary>
public sealed class IncrementalAlterConfigsReport
{
    public required ConfigResource ConfigResource { get; init; }
    public Error Error { get; init; } = new(ErrorCode.None);
}

/// <summary>One group's outcome in a <see cref="ListConsumerGroupOffsetsException"/>.</summary>
public sealed class ListConsumerGroupOffsetsReport
{
    public string Group { get; init; } = "";
    public List<TopicPartitionOffsetError> Partitions { get; init; } = [];
    public Error Error { get; init; } = new(ErrorCode.None);
}

/// <summary>One group's outcome in an <see cref="AlterConsumerGroupOffsetsException"/>.</summary>
public sealed class AlterConsumerGroupOffsetsReport
{
    public string Group { get; init; } = "";
    public List<TopicPartitionOffsetError> Partitions { get; init; } = [];
    public Error Error { get; init; } = new(ErrorCode.None);
}

/// <summary>Every group's outcome in a <see cref="DescribeConsumerGroupsException"/> (each description's Error).</summary>
public sealed class DescribeConsumerGroupsReport
{
    public List<ConsumerGroupDescription> ConsumerGroupDescriptions { get; init; } = [];
}

/// <summary>Every topic's outcome in a <see cref="DescribeTopicsException"/> (each description's Error).</summary>
public sealed class DescribeTopicsReport
{
    public List<TopicDescription> TopicDescriptions { get; init; } = [];
}

/// <summary>Every partition's outcome in a <see cref="ListOffsetsException"/>.</summary>
public sealed class ListOffsetsReport
{
    public List<ListOffsetsResultInfo> ResultInfos { get; init; } = [];
    public Error Error { get; init; } = new(ErrorCode.None);
}

/// <summary>One partition's outcome in a <see cref="DeleteRecordsException"/>: its log start offset now.</summary>
public sealed class DeleteRecordsReport
{
    public string Topic { get; init; } = "";
    public Partition Partition { get; init; }
    public Offset Offset { get; init; }
    public Error Error { get; init; } = new(ErrorCode.None);
}

/// <summary>Records were not deleted from some partitions; <see cref="Results"/> has every partition's outcome.</summary>
public sealed class DeleteRecordsException(List<DeleteRecordsReport> results)
    : KafkaException(AdminFailure.First(results.Select(r => ($"{r.Topic} [{r.Partition}]", r.Error)), "deleting records"))
{
    public List<DeleteRecordsReport> Results { get; } = results;
}

/// <summary>Some topics were not created; <see cref="Results"/> has every topic's outcome.</summary>
public sealed class CreateTopicsException(List<CreateTopicReport> results)
    : KafkaException(AdminFailure.First(results.Select(r => (r.Topic, r.Error)), "creating topics"))
{
    public List<CreateTopicReport> Results { get; } = results;
}

/// <summary>Some topics were not deleted; <see cref="Results"/> has every topic's outcome.</summary>
public sealed class DeleteTopicsException(List<DeleteTopicReport> results)
    : KafkaException(AdminFailure.First(results.Select(r => (r.Topic, r.Error)), "deleting topics"))
{
    public List<DeleteTopicReport> Results { get; } = results;
}

/// <summary>Some topics were not grown; <see cref="Results"/> has every topic's outcome.</summary>
public sealed class CreatePartitionsException(List<CreatePartitionsReport> results)
    : KafkaException(AdminFailure.First(results.Select(r => (r.Topic, r.Error)), "creating partitions"))
{
    public List<CreatePartitionsReport> Results { get; } = results;
}

/// <summary>Some groups were not deleted; <see cref="Results"/> has every group's outcome.</summary>
public sealed class DeleteGroupsException(List<DeleteGroupReport> results)
    : KafkaException(AdminFailure.First(results.Select(r => (r.Group, r.Error)), "deleting groups"))
{
    public List<DeleteGroupReport> Results { get; } = results;
}

/// <summary>Some resources' configs could not be described; <see cref="Results"/> has every resource's outcome.</summary>
public sealed class DescribeConfigsException(List<DescribeConfigsReport> results)
    : KafkaException(AdminFailure.First(results.Select(r => (r.ConfigResource.ToString(), r.Error)), "describing configs"))
{
    public List<DescribeConfigsReport> Results { get; } = results;
}

/// <summary>Some resources' configs were not altered; <see cref="Results"/> has every resource's outcome.</summary>
public sealed class AlterConfigsException(List<AlterConfigsReport> results)
    : KafkaException(AdminFailure.First(results.Select(r => (r.ConfigResource.ToString(), r.Error)), "altering configs"))
{
    public List<AlterConfigsReport> Results { get; } = results;
}

/// <summary>Some resources' configs were not altered; <see cref="Results"/> has every resource's outcome.</summary>
public sealed class IncrementalAlterConfigsException(List<IncrementalAlterConfigsReport> results)
    : KafkaException(AdminFailure.First(results.Select(r => (r.ConfigResource.ToString(), r.Error)), "altering configs"))
{
    public List<IncrementalAlterConfigsReport> Results { get; } = results;
}

/// <summary>Some groups' offsets could not be listed; <see cref="Results"/> has every group's outcome.</summary>
public sealed class ListConsumerGroupOffsetsException(List<ListConsumerGroupOffsetsReport> results)
    : KafkaException(AdminFailure.First(results.Select(r => (r.Group, FirstError(r.Error, r.Partitions))), "listing group offsets"))
{
    public List<ListConsumerGroupOffsetsReport> Results { get; } = results;

    internal static Error FirstError(Error error, List<TopicPartitionOffsetError> partitions) =>
        error.IsError ? error : partitions.Select(p => p.Error).FirstOrDefault(e => e.IsError) ?? error;
}

/// <summary>Some groups' offsets were not committed; <see cref="Results"/> has every group's outcome.</summary>
public sealed class AlterConsumerGroupOffsetsException(List<AlterConsumerGroupOffsetsReport> results)
    : KafkaException(AdminFailure.First(results.Select(r => (r.Group, ListConsumerGroupOffsetsException.FirstError(r.Error, r.Partitions))), "altering group offsets"))
{
    public List<AlterConsumerGroupOffsetsReport> Results { get; } = results;
}

/// <summary>Some groups could not be described; <see cref="Results"/> has every group's outcome.</summary>
public sealed class DescribeConsumerGroupsException(DescribeConsumerGroupsReport results)
    : KafkaException(AdminFailure.First(results.ConsumerGroupDescriptions.Select(d => (d.GroupId, d.Error)), "describing groups"))
{
    public DescribeConsumerGroupsReport Results { get; } = results;
}

/// <summary>Some topics could not be described; <see cref="Results"/> has every topic's outcome.</summary>
public sealed class DescribeTopicsException(DescribeTopicsReport results)
    : KafkaException(AdminFailure.First(results.TopicDescriptions.Select(d => (d.Name, d.Error)), "describing topics"))
{
    public DescribeTopicsReport Results { get; } = results;
}

/// <summary>Some offsets could not be looked up; <see cref="Result"/> has every partition's outcome.</summary>
public sealed class ListOffsetsException(ListOffsetsReport result)
    : KafkaException(AdminFailure.First(result.ResultInfos.Select(r => (r.TopicPartitionOffsetError.TopicPartition.ToString(), r.TopicPartitionOffsetError.Error)), "listing offsets"))
{
    public ListOffsetsReport Result { get; } = result;
}

/// <summary>The exception's error: the first item that failed, named, with how many others did.</summary>
internal static class AdminFailure
{
    public static Error First(IEnumerable<(string Item, Error Error)> outcomes, string what)
    {
        var failed = outcomes.Where(o => o.Error.IsError).ToList();
        if (failed.Count == 0)
        {
            return new Error(ErrorCode.None);
        }
        var (item, error) = failed[0];
        var others = failed.Count > 1 ? $" ({failed.Count - 1} more failed: see Results)" : "";
        return new Error(error.Code, $"An error occurred {what}: {item}: {error.Reason}{others}");
    }
}
