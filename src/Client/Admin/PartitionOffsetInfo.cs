namespace Orlog.Client;

/// <summary>An offset found by <see cref="IAdminClient.ListOffsetsAsync"/>.</summary>
/// <param name="Topic">The topic.</param>
/// <param name="Partition">The partition.</param>
/// <param name="Offset">The offset found (-1 when no record is that new).</param>
/// <param name="Timestamp">The timestamp of the record found, or -1 for earliest/latest.</param>
public sealed record PartitionOffsetInfo(string Topic, int Partition, Offset Offset, long Timestamp);
