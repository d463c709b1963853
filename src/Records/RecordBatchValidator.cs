namespace Orlog.Records;

/// <summary>
/// The check a broker runs on every incoming batch before appending it: the header, the CRC, and a walk
/// over every record (decompressing first when compressed), because a batch with a valid CRC can still
/// lie about its records. Allocates nothing per record; decompression uses one pooled buffer per batch.
/// </summary>
/// <remarks>
/// Checks, in order, each failure a <see cref="KafkaException"/> whose message names the cause:
/// <list type="number">
/// <item>at least 61 bytes, and batchLength + 12 equals the span's length (a length past the end or
/// trailing bytes) — CORRUPT_MESSAGE;</item>
/// <item>the size is at most maxMessageBytes (max.message.bytes) — MESSAGE_TOO_LARGE;</item>
/// <item>magic 2 — magic 0 or 1 (old message sets, which Kafka 4 no longer accepts either) is
/// UNSUPPORTED_FOR_MESSAGE_FORMAT, any other value CORRUPT_MESSAGE;</item>
/// <item>the CRC-32C over attributes..end — CORRUPT_MESSAGE with both values;</item>
/// <item>recordCount at least 1 and lastOffsetDelta = recordCount - 1 — INVALID_RECORD (as Kafka);</item>
/// <item>a known compression codec — UNSUPPORTED_COMPRESSION_TYPE; a payload the codec cannot decode —
/// CORRUPT_MESSAGE naming the codec; one that decompresses past the limit — MESSAGE_TOO_LARGE;</item>
/// <item>every record: its length agrees with its fields, key, value and header lengths fit, offset deltas
/// are exactly 0..n-1 in order, there are recordCount records and no bytes after them — INVALID_RECORD,
/// as Kafka's InvalidRecordException.</item>
/// </list>
/// The header's maxTimestamp is not required to equal the records' largest timestamp: Kafka accepts such
/// batches and rewrites the field. The result reports both (<see cref="RecordBatchInfo.MaxTimestampMatchesRecords"/>).
/// Policy that depends on who sends the batch or on topic config (control batches from clients, timestamp
/// ranges, null keys on compacted topics) is left to the caller; the result carries what it needs.
/// </remarks>
public static class RecordBatchValidator
{
    /// <summary>The default most bytes a compressed batch may decompress to: 64 MiB (or maxMessageBytes, if larger).</summary>
    public const int DefaultMaxUncompressedBytes = 64 * 1024 * 1024;

    /// <summary>Validates one whole batch; see the remarks for the checks.</summary>
    /// <param name="batch">Exactly one batch.</param>
    /// <param name="maxMessageBytes">The largest batch accepted (the topic's max.message.bytes).</param>
    public static RecordBatchInfo Validate(ReadOnlySpan<byte> batch, int maxMessageBytes) =>
        Validate(batch, maxMessageBytes, Math.Max(DefaultMaxUncompressedBytes, maxMessageBytes));

    /// <summary>
    /// The checks a follower makes on a batch copied from its leader, which validated the records when it took
    /// them: framing, magic and CRC, so that bytes damaged on the way are not stored.
    /// </summary>
    public static RecordBatchHeader CheckCopied(ReadOnlySpan<byte> batch)
    {
        RecordBatchChecks.CheckFraming(batch);
        RecordBatchChecks.CheckMagic(batch[RecordBatchHeader.MagicOffset]);
        RecordBatchChecks.CheckCrc(batch);
        var header = RecordBatchHeader.Read(batch);
        RecordBatchChecks.CheckRecordCount(header.RecordCount, header.LastOffsetDelta);
        return header;
    }

    /// <summary>Validates one whole batch, refusing compressed records that decompress past <paramref name="maxUncompressedBytes"/>.</summary>
    public static RecordBatchInfo Validate(ReadOnlySpan<byte> batch, int maxMessageBytes, int maxUncompressedBytes)
    {
        RecordBatchChecks.CheckFraming(batch);
        if (batch.Length > maxMessageBytes)
        {
            throw new KafkaException(ErrorCode.MessageTooLarge, $"the batch is {batch.Length} bytes, larger than max.message.bytes {maxMessageBytes}; send smaller batches (batch.size) or raise max.message.bytes.");
        }
        RecordBatchChecks.CheckMagic(batch[RecordBatchHeader.MagicOffset]);
        RecordBatchChecks.CheckCrc(batch);
        var header = RecordBatchHeader.Read(batch);
        RecordBatchChecks.CheckRecordCount(header.RecordCount, header.LastOffsetDelta);
        RecordBatchChecks.CheckCompression(header.Attributes);

        var payload = batch[RecordBatchHeader.Size..];
        if (header.Compression == CompressionType.None)
        {
            return Walk(header, payload);
        }
        using var decompressed = RecordBatchPayload.Decompress(header.Compression, payload, maxUncompressedBytes);
        return Walk(header, decompressed.WrittenSpan);
    }

    private static RecordBatchInfo Walk(in RecordBatchHeader header, ReadOnlySpan<byte> records)
    {
        var count = header.RecordCount;
        var position = 0;
        var maxTimestamp = long.MinValue;
        var deltaOfMax = 0;
        var hasNullKey = false;
        for (var i = 0; i < count; i++)
        {
            if (position == records.Length)
            {
                RecordBatchChecks.ThrowInvalid($"the batch declares {count} records but holds only {i}");
            }
            var record = RecordParser.Read(records, ref position, i, header.BaseOffset, header.BaseTimestamp, logAppendTime: null);
            if (record.OffsetDelta != i)
            {
                ThrowOffsetDelta(i, record.OffsetDelta);
            }
            if (record.Timestamp > maxTimestamp)
            {
                maxTimestamp = record.Timestamp;
                deltaOfMax = i;
            }
            hasNullKey |= record.IsKeyNull;
        }
        if (position != records.Length)
        {
            RecordBatchChecks.ThrowInvalid($"{records.Length - position} bytes are left over after the {count} records the header declares");
        }
        return new RecordBatchInfo
        {
            Header = header,
            RecordCount = count,
            MaxRecordTimestamp = maxTimestamp,
            OffsetDeltaOfMaxTimestamp = deltaOfMax,
            UncompressedRecordsSize = records.Length,
            HasNullKey = hasNullKey,
        };
    }

    private static void ThrowOffsetDelta(int index, int delta)
    {
        var why = delta > index ? "a gap" : "a duplicate or out of order";
        RecordParser.Throw(index, $"has offset delta {delta}, expected {index} ({why}; offset deltas run 0..recordCount-1 in order)");
    }
}
