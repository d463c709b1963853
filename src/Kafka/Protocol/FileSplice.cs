namespace Orlog.Kafka.Protocol;

/// <summary>
/// Bytes of a <see cref="FileRegion"/> a response leaves in their file: they go after the first
/// <paramref name="OutputPosition"/> bytes the writer wrote, and are the region's bytes from <paramref name="Start"/>.
/// </summary>
public readonly record struct FileSplice(long OutputPosition, FileRegion Region, int Start, int Length);
