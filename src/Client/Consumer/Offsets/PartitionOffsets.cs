namespace Orlog.Client;

/// <summary>One assigned partition's offsets: where consuming stands, what to commit next, what was committed.</summary>
internal sealed class PartitionOffsets
{
    public PartitionOffsets(TopicPartition partition) => Partition = partition;

    public TopicPartition Partition { get; }

    /// <summary>The next offset Consume returns (-1 while unknown).</summary>
    public long Position { get; set; } = -1;

    /// <summary>The offset to commit next (StoreOffset, or Consume with enable.auto.offset.store); -1 for none.</summary>
    public long Stored { get; set; } = -1;

    /// <summary>The offset last committed by this consumer, or found committed when the partition was assigned; -1 for none.</summary>
    public long Committed { get; set; } = -1;
}
