using Microsoft.Extensions.Logging;
using Orlog.Log.Producers;
using Orlog.Log.Storage;

namespace Orlog.Log;

/// <summary>
/// One partition replica's log on the local disk: an append-only sequence of record batches in segments.
/// <para>Its positions, and what they promise:</para>
/// <list type="bullet">
/// <item><see cref="LogStartOffset"/>: the first offset still readable. Retention and DeleteRecords move it up; it never
/// moves down. Reads below it fail with OFFSET_OUT_OF_RANGE.</item>
/// <item><see cref="LogEndOffset"/>: the offset the next appended record gets. Every batch below it is
/// written whole and visible to readers: it is published only after the batch's bytes are written.</item>
/// <item><see cref="FlushedOffset"/>: every record below it is on disk (fsynced).
/// LogStartOffset ≤ FlushedOffset ≤ LogEndOffset, except that a truncation may leave
/// FlushedOffset at the new, lower end.</item>
/// </list>
/// One writer appends, truncates and deletes (serialized by a lock); any number of readers read at the
/// same time without taking it. The replica above adds the high watermark.
/// </summary>
public sealed partial class PartitionLog : IDisposable
{
    private readonly Lock _writeLock = new();
    private readonly IFileSystem _fileSystem;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LeaderEpochCache _epochs;
    private readonly ProducerStateManager _producers = new();
    private LogSegment[] _segments = [];
    private long _logStartOffset;
    private long _logEndOffset;
    private Exception? _failure;
    private bool _disposed;

    private PartitionLog(string directory, LogConfig config, PartitionLogOptions options)
    {
        Directory = directory;
        TopicId = options.TopicId;
        Config = config;
        _fileSystem = options.FileSystem;
        _time = options.Time;
        _logger = options.Logger;
        _epochs = new LeaderEpochCache(_fileSystem, directory);
    }

    /// <summary>The partition's directory: <c>&lt;data-dir&gt;/&lt;topic&gt;-&lt;partition&gt;</c>.</summary>
    public string Directory { get; }

    /// <summary>The topic id the log was opened for (recorded in partition.metadata); null when not checked.</summary>
    public Guid? TopicId { get; }

    public LogConfig Config { get; private set; }

    public long LogStartOffset => Volatile.Read(ref _logStartOffset);

    public long LogEndOffset => Volatile.Read(ref _logEndOffset);

    public long FlushedOffset => Volatile.Read(ref _flushedOffset);

    /// <summary>The total size of the log's segments in bytes.</summary>
    public long Size
    {
        get
        {
            long size = 0;
            foreach (var segment in _segments)
            {
                size += segment.Size;
            }
            return size;
        }
    }

    public int SegmentCount => _segments.Length;

    /// <summary>The base offsets of the segments, oldest first.</summary>
    public IReadOnlyList<long> SegmentBaseOffsets
    {
        get
        {
            var segments = Volatile.Read(ref _segments);
            var offsets = new long[segments.Length];
            for (var i = 0; i < segments.Length; i++)
            {
                offsets[i] = segments[i].BaseOffset;
            }
            return offsets;
        }
    }

    /// <summary>The newest leader epoch that wrote to the log, or -1.</summary>
    public int LatestEpoch
    {
        get
        {
            lock (_writeLock)
            {
                return _epochs.LatestEpoch;
            }
        }
    }

    /// <summary>The leader-epoch checkpoint: (epoch, start offset), oldest first.</summary>
    public IReadOnlyList<EpochEntry> Epochs
    {
        get
        {
            lock (_writeLock)
            {
                return [.. _epochs.Entries];
            }
        }
    }

    /// <summary>True after a failed write or fsync: the log refuses appends with KAFKA_STORAGE_ERROR.</summary>
    public bool IsFailed => Volatile.Read(ref _failure) is not null;

    /// <summary>The topic id recorded in a partition directory (its partition.metadata); null when none is.</summary>
    public static Guid? ReadTopicId(string directory) => PartitionMetadataFile.Read(PhysicalFileSystem.Instance, directory);

    /// <summary>
    /// Opens (or creates) the log in <paramref name="directory"/>, recovering it if the last stop was not
    /// clean: torn or corrupt tails are cut at the last valid batch and indexes rebuilt.
    /// </summary>
    public static PartitionLog Open(string directory, LogConfig config, PartitionLogOptions? options = null)
    {
        options ??= new PartitionLogOptions();
        var log = new PartitionLog(directory, config.Validate(), options);
        try
        {
            log.Load(options.TopicId);
        }
        catch
        {
            log.DisposeSegments();
            throw;
        }
        log.StartFlusher();
        return log;
    }

    /// <summary>Applies a new config (topic configs altered); it governs the next append, roll and retention pass.</summary>
    public void Reconfigure(LogConfig config)
    {
        lock (_writeLock)
        {
            Config = config.Validate();
        }
        WakeFlusher();
    }

    /// <summary>Kafka's OffsetsForLeaderEpoch: the largest epoch at or below <paramref name="epoch"/> and where it ended.</summary>
    public (int Epoch, long EndOffset) EndOffsetForEpoch(int epoch)
    {
        lock (_writeLock)
        {
            return _epochs.EndOffsetFor(epoch, LogEndOffset);
        }
    }

    /// <summary>What the log remembers of an idempotent producer, or null.</summary>
    public ProducerStateEntry? GetProducerState(long producerId)
    {
        lock (_writeLock)
        {
            return _producers.Get(producerId);
        }
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private void ThrowIfUnwritable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Volatile.Read(ref _failure) is { } failure)
        {
            throw new KafkaException(ErrorCode.KafkaStorageError,
                $"The log in '{Directory}' failed on a disk error and refuses writes until it is reopened: {failure.Message}", failure);
        }
    }

    private KafkaException Fail(Exception error, string what)
    {
        Interlocked.CompareExchange(ref _failure, error, null);
        LogStorageFailure(_logger, Directory, what, error);
        FailWaiters();
        return new KafkaException(ErrorCode.KafkaStorageError,
            $"{what} failed in '{Directory}': {error.Message}. The log refuses writes until it is reopened.", error);
    }

    private static bool IsStorageError(Exception error) => error is IOException or UnauthorizedAccessException;

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Log {Directory}: {What} failed; the log is offline for writes")]
    private static partial void LogStorageFailure(ILogger logger, string directory, string what, Exception error);
}
