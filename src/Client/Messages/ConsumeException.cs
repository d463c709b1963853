using Orlog.Records;

namespace Orlog.Client;

/// <summary>Consuming failed for a partition (for example OFFSET_OUT_OF_RANGE with auto.offset.reset=none, or a record that did not deserialize).</summary>
public sealed class ConsumeException : KafkaException
{
    /// <summary>A failure at <paramref name="position"/>.</summary>
    public ConsumeException(Error error, TopicPartitionOffset? position, Exception? innerException = null)
        : base(error.Code, error.Reason, innerException!)
    {
        Error = error;
        TopicPartitionOffset = position;
    }

    /// <summary>The error.</summary>
    public Error Error { get; }

    /// <summary>Where it happened: the partition and the offset being read, when known.</summary>
    public TopicPartitionOffset? TopicPartitionOffset { get; }
}
