using Orlog.Records;

namespace Orlog.Grains.Topics;

/// <summary>One partition's batch in a topic router: the records of the calls it gathered, and their common fate.</summary>
internal sealed class RoutedBatch(int partition, long createdAt)
{
    public int Partition { get; } = partition;

    public RecordBatchBuilder Builder { get; } = new();

    /// <summary>When the batch was opened (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long CreatedAt { get; } = createdAt;

    public int Count => Builder.RecordCount;

    /// <summary>The batch as sent, built once so that a retry sends the same bytes.</summary>
    public ReadOnlyMemory<byte>? Bytes { get; set; }

    /// <summary>The leader's answer, or the error after the last retry.</summary>
    public TaskCompletionSource<PartitionProduceResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
