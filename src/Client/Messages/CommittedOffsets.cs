namespace Orlog.Client;

/// <summary>What an automatic commit committed, with the outcome per partition and overall (Confluent.Kafka's shape).</summary>
public sealed class CommittedOffsets
{
    public CommittedOffsets(IList<TopicPartitionOffsetError> offsets, Error error)
    {
        Offsets = offsets;
        Error = error;
    }

    public IList<TopicPartitionOffsetError> Offsets { get; }

    public Error Error { get; }
}
