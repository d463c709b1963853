namespace Orlog.Client;

/// <summary>
/// What became of one batch of records: where it went and how many it held, or why it failed. What a batch
/// delivery handler (<see cref="ProducerBuilder{TKey, TValue}.SetBatchDeliveryHandler"/>) receives, so a caller
/// that counts deliveries and watches for errors needs no report per record.
/// </summary>
public sealed class BatchDeliveryReport
{
    /// <summary>A report of <paramref name="count"/> records sent to <paramref name="topic"/>'s <paramref name="partition"/>.</summary>
    public BatchDeliveryReport(string topic, Partition partition, Offset baseOffset, int count, PersistenceStatus status, Error error)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(error);
        Topic = topic;
        Partition = partition;
        BaseOffset = baseOffset;
        Count = count;
        Status = status;
        Error = error;
    }

    /// <summary>The topic the records were sent to.</summary>
    public string Topic { get; }

    /// <summary>Their partition (<see cref="Partition.Any"/> for a record that failed before one was chosen).</summary>
    public Partition Partition { get; }

    /// <summary>The first record's offset, the others following it; <see cref="Offset.Unset"/> when not known (failed, or acks=0).</summary>
    public Offset BaseOffset { get; }

    /// <summary>How many records the batch held.</summary>
    public int Count { get; }

    /// <summary>Whether the records are in the log.</summary>
    public PersistenceStatus Status { get; }

    /// <summary>Why the records were not delivered, or <see cref="Error.NoError"/>.</summary>
    public Error Error { get; }
}
