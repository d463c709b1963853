using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orlog.Log.Storage;

namespace Orlog.Log;

/// <summary>What a partition log is opened with besides its config: the disk, the clock, the logger.</summary>
public sealed class PartitionLogOptions
{
    /// <summary>The file seam; tests pass a faulty one.</summary>
    public IFileSystem FileSystem { get; init; } = PhysicalFileSystem.Instance;

    /// <summary>The clock for append times, segment.ms, retention.ms and flush.ms.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>
    /// The topic id to record in (or check against) <c>partition.metadata</c>; null to skip the check.
    /// A directory left by a deleted topic of the same name is refused with INCONSISTENT_TOPIC_ID.
    /// </summary>
    public Guid? TopicId { get; init; }
}
