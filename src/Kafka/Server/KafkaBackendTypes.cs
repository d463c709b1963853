namespace Orlog.Kafka.Server;

// What the handlers ask of the broker and what it answers, in plain records (the silo maps them onto its grain
// contracts). Each error is a Kafka code with an optional message.

/// <summary>A partition by topic name and index.</summary>
public readonly record struct KafkaPartitionRef(string Topic, int Partition);

/// <summary>One partition's record batch from a produce request (its own copy: the broker stamps offsets into it).</summary>
public sealed record KafkaProduceBatch(string Topic, int Partition, byte[] Records);

/// <summary>What became of one partition's batch.</summary>
public sealed record KafkaProduceResult(string Topic, int Partition, ErrorCode Error, string? ErrorMessage, long BaseOffset, long LogAppendTime, long LogStartOffset);

/// <summary>A consumer's fetch: wait up to <see cref="MaxWaitMs"/> for <see cref="MinBytes"/>, answer at most <see cref="MaxBytes"/>.</summary>
public sealed record KafkaFetch(int MaxWaitMs, int MinBytes, int MaxBytes, IReadOnlyList<KafkaFetchPartition> Partitions);

/// <summary>One partition of a fetch.</summary>
public sealed record KafkaFetchPartition(string Topic, int Partition, long FetchOffset, int PartitionMaxBytes);

/// <summary>Whole batches of one partition, never above its high watermark, with its bounds.</summary>
public sealed record KafkaFetchResult(string Topic, int Partition, ErrorCode Error, string? ErrorMessage, long HighWatermark, long LastStableOffset, long LogStartOffset, ReadOnlyMemory<byte> Records);

/// <summary>The offset found for one partition (-1 when no record is that new).</summary>
public sealed record KafkaListOffsetsResult(string Topic, int Partition, ErrorCode Error, string? ErrorMessage, long Offset, long Timestamp);

/// <summary>A producer id and epoch, or the error that kept the broker from giving one.</summary>
public readonly record struct KafkaProducerId(ErrorCode Error, long ProducerId, short ProducerEpoch);

/// <summary>A partition's leader epoch to look up, with the epoch the asker believes current (-1: unchecked).</summary>
public sealed record KafkaEpochQuery(string Topic, int Partition, int CurrentLeaderEpoch, int LeaderEpoch);

/// <summary>The largest epoch at most the one asked and the offset where it ends (the log end for the current one).</summary>
public sealed record KafkaEpochEnd(string Topic, int Partition, ErrorCode Error, int LeaderEpoch, long EndOffset);

/// <summary>A partition's records to delete: those below <paramref name="Offset"/> (-1: below the high watermark).</summary>
public sealed record KafkaDeleteRecords(string Topic, int Partition, long Offset);

/// <summary>The partition's log start offset after the deletion (Kafka's low watermark), or the error that refused it.</summary>
public sealed record KafkaDeleteRecordsResult(string Topic, int Partition, ErrorCode Error, string? ErrorMessage, long LowWatermark);
