using System.Runtime.InteropServices;

namespace Orlog.Records;

/// <summary>What <see cref="RecordBatchValidator.Validate(ReadOnlySpan{byte}, int)"/> learned about a valid batch.</summary>
[StructLayout(LayoutKind.Auto)]
public readonly struct RecordBatchInfo
{
    /// <summary>The batch's header, as read.</summary>
    public RecordBatchHeader Header { get; init; }

    /// <summary>The records counted by the walk (equal to the header's record count).</summary>
    public int RecordCount { get; init; }

    /// <summary>The largest timestamp found in the records (base timestamp plus delta).</summary>
    public long MaxRecordTimestamp { get; init; }

    /// <summary>The offset delta of the first record that carries <see cref="MaxRecordTimestamp"/>.</summary>
    public int OffsetDeltaOfMaxTimestamp { get; init; }

    /// <summary>Bytes of the records after decompression (the payload size when uncompressed).</summary>
    public int UncompressedRecordsSize { get; init; }

    /// <summary>True when some record has a null key (a compacted topic refuses those).</summary>
    public bool HasNullKey { get; init; }

    /// <summary>The whole batch's size in bytes.</summary>
    public int SizeInBytes => Header.TotalSize;

    public int LastOffsetDelta => Header.LastOffsetDelta;

    /// <summary>The header's max timestamp.</summary>
    public long MaxTimestamp => Header.MaxTimestamp;

    public CompressionType Compression => Header.Compression;

    public TimestampType TimestampType => Header.TimestampType;

    /// <summary>
    /// True when the header's max timestamp equals the records' largest. Kafka does not refuse a CreateTime
    /// batch that disagrees; it rewrites the header's max timestamp (see <see cref="RecordBatchHeader.SetMaxTimestamp"/>).
    /// </summary>
    public bool MaxTimestampMatchesRecords => Header.MaxTimestamp == MaxRecordTimestamp;
}
