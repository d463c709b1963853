namespace Orlog.Client.Admin;

/// <summary>One partition of a described consumer group: its committed offset, the log end offset, the lag and its owner.</summary>
/// <param name="TopicPartition">The partition.</param>
/// <param name="CurrentOffset">The group's committed offset, or -1 when it has none.</param>
/// <param name="LogEndOffset">The partition's log end offset (high watermark), or -1 when it could not be read (the topic is gone).</param>
/// <param name="Lag">The log end offset minus the committed offset; null without a committed offset.</param>
/// <param name="ConsumerId">The member id of the owner, or null when no member owns it.</param>
/// <param name="Host">The owner's host, or null.</param>
/// <param name="ClientId">The owner's client.id, or null.</param>
/// <param name="Metadata">The metadata string committed with the offset, or null.</param>
public sealed record GroupPartitionLag(
    TopicPartition TopicPartition,
    long CurrentOffset,
    long LogEndOffset,
    long? Lag,
    string? ConsumerId,
    string? Host,
    string? ClientId,
    string? Metadata);
