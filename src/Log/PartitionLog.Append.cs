using Orlog.Records;

namespace Orlog.Log;

public sealed partial class PartitionLog
{
    /// <summary>
    /// Appends one batch from a producer as the partition's leader: validates it fully, checks its
    /// producer's epoch and sequence, sets its base offset and partition leader epoch in place (both are
    /// outside the CRC, so nothing is re-encoded; LogAppendTime topics also get their timestamp set and
    /// the CRC recomputed), writes it, and publishes the new log end offset.
    /// The batch is in the page cache when this returns; <see cref="AppendAsync"/> also waits for the fsync
    /// when flush.messages=1.
    /// </summary>
    /// <exception cref="KafkaException">CORRUPT_MESSAGE, MESSAGE_TOO_LARGE, INVALID_RECORD, ... for a bad batch
    /// (the log is unchanged); OUT_OF_ORDER_SEQUENCE_NUMBER, INVALID_PRODUCER_EPOCH; KAFKA_STORAGE_ERROR.</exception>
    public LogAppendResult AppendAsLeader(Span<byte> batch, int leaderEpoch)
    {
        ThrowIfUnwritable();
        var info = RecordBatchValidator.Validate(batch, Config.MaxMessageBytes);
        if (info.Header.TimestampType == TimestampType.CreateTime && !info.MaxTimestampMatchesRecords)
        {
            // Retention, segment.ms and the time index trust a batch's max timestamp: set it from the
            // records, as Kafka's broker does, rather than from whatever the producer wrote.
            RecordBatchHeader.SetMaxTimestamp(batch, TimestampType.CreateTime, info.MaxRecordTimestamp);
        }
        var header = RecordBatchHeader.Read(batch);
        lock (_writeLock)
        {
            ThrowIfUnwritable();
            if (leaderEpoch < _epochs.LatestEpoch)
            {
                // Orleans may briefly run two activations of a replica: the older leader is fenced here too.
                throw new KafkaException(ErrorCode.FencedLeaderEpoch,
                    $"Leader epoch {leaderEpoch} is older than the log's latest epoch {_epochs.LatestEpoch}: this replica is no longer the leader.");
            }
            if (header.HasProducerId && _producers.Check(header) is { } duplicate)
            {
                return new LogAppendResult(duplicate.FirstOffset, duplicate.LastOffset, -1, IsDuplicate: true, LogStartOffset);
            }
            var now = NowMs;
            var baseOffset = _logEndOffset;
            RecordBatchHeader.WriteBaseOffset(batch, baseOffset);
            RecordBatchHeader.WritePartitionLeaderEpoch(batch, leaderEpoch);
            var logAppendTime = -1L;
            if (Config.MessageTimestampType == TimestampType.LogAppendTime)
            {
                logAppendTime = now;
                StampLogAppendTime(batch, now);
            }
            header = RecordBatchHeader.Read(batch);
            AppendLocked(batch, header, leaderEpoch, now);
            return new LogAppendResult(baseOffset, header.LastOffset, logAppendTime, IsDuplicate: false, _logStartOffset);
        }
    }

    /// <summary>
    /// <see cref="AppendAsLeader"/>, then, when flush.messages=1, waits until the batch is on disk. Appends
    /// waiting together share one fsync.
    /// </summary>
    public async ValueTask<LogAppendResult> AppendAsync(byte[] batch, int leaderEpoch)
    {
        var result = AppendAsLeader(batch, leaderEpoch);
        if (Config.FlushesEveryAppend)
        {
            await WaitForFlushAsync(result.NextOffset).ConfigureAwait(false);
        }
        return result;
    }

    /// <summary>
    /// Appends batches copied from the leader as a follower: the bytes are kept as they are (base offsets,
    /// leader epochs, timestamps and CRCs set by the leader), each batch's framing and CRC are checked, its
    /// base offset must not be below the log end, and its partition leader epoch extends the epoch checkpoint.
    /// The producer state follows the batches, so this replica can refuse a retried duplicate once it leads.
    /// <paramref name="batches"/> holds whole batches back to back (a fetch response).
    /// Returns the new log end offset.
    /// </summary>
    /// <exception cref="KafkaException">CORRUPT_MESSAGE for a batch that fails its checks (nothing from it on is
    /// appended); OFFSET_OUT_OF_RANGE for a batch below the log end; KAFKA_STORAGE_ERROR.</exception>
    public long AppendAsFollower(ReadOnlySpan<byte> batches)
    {
        ThrowIfUnwritable();
        lock (_writeLock)
        {
            ThrowIfUnwritable();
            var now = NowMs;
            while (batches.Length > 0)
            {
                var size = batches.Length < RecordBatchHeader.Size ? -1 : RecordBatchHeader.ReadBatchLength(batches) + RecordBatchHeader.LogOverhead;
                if (size < RecordBatchHeader.Size || size > batches.Length)
                {
                    throw new KafkaException(ErrorCode.CorruptMessage, $"A copied batch is cut short or misframed: it claims {size} bytes with {batches.Length} left.");
                }
                var batch = batches[..size];
                var header = RecordBatchValidator.CheckCopied(batch);
                if (header.BaseOffset < _logEndOffset)
                {
                    throw new KafkaException(ErrorCode.OffsetOutOfRange,
                        $"A copied batch starts at offset {header.BaseOffset}, below this replica's log end {_logEndOffset}.");
                }
                var epoch = header.PartitionLeaderEpoch;
                if (epoch < _epochs.LatestEpoch)
                {
                    throw new KafkaException(ErrorCode.CorruptMessage,
                        $"A copied batch at offset {header.BaseOffset} has leader epoch {epoch}, below the log's latest epoch {_epochs.LatestEpoch}.");
                }
                AppendLocked(batch, header, epoch, now);
                batches = batches[size..];
            }
            return _logEndOffset;
        }
    }

    // Kafka's LogAppendTime: every record's timestamp becomes the broker's clock; the batch carries it as
    // its max timestamp with the timestamp-type bit set, both under the CRC.
    private static void StampLogAppendTime(Span<byte> batch, long now)
    {
        var header = RecordBatchHeader.Read(batch);
        var stamped = header with
        {
            Attributes = (short)(header.Attributes | RecordBatchAttributes.TimestampTypeFlag),
            MaxTimestamp = now,
        };
        stamped.WriteWithoutCrc(batch);
        RecordBatchHeader.WriteCrc(batch);
    }

    private void AppendLocked(ReadOnlySpan<byte> batch, in RecordBatchHeader header, int leaderEpoch, long now)
    {
        var segment = _segments[^1];
        if (segment.IsFullFor(batch.Length, header.LastOffset, Config.SegmentBytes)
            || (!segment.IsEmpty && now - segment.RollingTimestamp >= Config.SegmentMs))
        {
            segment = Roll(now);
        }
        try
        {
            segment.Append(batch, header.LastOffset, header.MaxTimestamp, now);
            if (leaderEpoch > _epochs.LatestEpoch)
            {
                _epochs.Assign(leaderEpoch, header.BaseOffset);
            }
        }
        catch (Exception error) when (IsStorageError(error))
        {
            throw Fail(error, "Append");
        }
        _producers.Update(header, now);
        _unflushedRecords += header.RecordCount;
        Volatile.Write(ref _logEndOffset, header.NextOffset);
        if (_unflushedRecords >= Config.FlushMessages && !Config.FlushesEveryAppend)
        {
            WakeFlusher();
        }
    }

    // Starts a new active segment at the log end offset. The old one is flushed whole (log and indexes)
    // by the flusher, which then moves the recovery point past it; the producer state as of the roll is
    // snapshotted there too, off the appending caller's path.
    private LogSegment Roll(long now)
    {
        var old = _segments[^1];
        var baseOffset = _logEndOffset;
        LogSegment segment;
        try
        {
            segment = LogSegment.CreateEmpty(_fileSystem, Directory, baseOffset, Config);
        }
        catch (Exception error) when (IsStorageError(error))
        {
            throw Fail(error, "Segment roll");
        }
        Volatile.Write(ref _segments, [.. _segments, segment]);
        ScheduleRollFlush(old, baseOffset, Producers.ProducerSnapshot.Serialize(_producers));
        LogRolled(_logger, Directory, baseOffset, old.Size, now - old.RollingTimestamp);
        return segment;
    }

    [Microsoft.Extensions.Logging.LoggerMessage(EventId = 2, Level = Microsoft.Extensions.Logging.LogLevel.Debug,
        Message = "Log {Directory}: rolled a new segment at offset {BaseOffset} (previous segment {Size} bytes, {AgeMs} ms old)")]
    private static partial void LogRolled(Microsoft.Extensions.Logging.ILogger logger, string directory, long baseOffset, long size, long ageMs);
}
