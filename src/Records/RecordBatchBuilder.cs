using System.Buffers;
using Orlog.Records.Compression;

namespace Orlog.Records;

/// <summary>
/// Builds one Kafka RecordBatch v2 (magic 2): append records, then take the batch with <see cref="Build"/>
/// (in the builder's own buffer) or write it with <see cref="WriteTo"/> or <see cref="ToArray"/>. Records are
/// encoded as they are appended into a pooled buffer after room left for the header, so an uncompressed batch
/// is built in place (nothing is allocated per record or copied per batch); the header fields (lastOffsetDelta, baseTimestamp = the first
/// record's timestamp, maxTimestamp, recordCount, batchLength) and the CRC-32C are computed when the batch
/// is written, after compressing the records if <see cref="Compression"/> says so. Reusable after
/// <see cref="Reset"/>; not thread-safe. Dispose returns the pooled buffers.
/// </summary>
public sealed class RecordBatchBuilder : IDisposable
{
    private readonly PooledBufferWriter _records = new();
    private PooledBufferWriter? _compressed;
    private CompressionType _compression;
    private long _baseTimestamp;
    private long _maxTimestamp;
    private int _recordCount;

    /// <summary>A builder for batches compressed with <paramref name="compression"/>.</summary>
    public RecordBatchBuilder(CompressionType compression = CompressionType.None)
    {
        Compression = compression;
    }

    /// <summary>The codec applied to the records when the batch is written.</summary>
    /// <exception cref="KafkaException">UNSUPPORTED_COMPRESSION_TYPE for an id Kafka does not define.</exception>
    public CompressionType Compression
    {
        get => _compression;
        set => _compression = CompressionCodecs.IsKnown(value) ? value : throw CompressionCodecs.Unsupported((int)value);
    }

    /// <value>Default <see cref="TimestampType.CreateTime"/>.</value>
    public TimestampType TimestampType { get; set; }

    /// <value>Default -1: no producer id (not idempotent).</value>
    public long ProducerId { get; set; } = RecordBatchHeader.NoProducerId;

    /// <value>Default -1.</value>
    public short ProducerEpoch { get; set; } = RecordBatchHeader.NoProducerEpoch;

    /// <value>Default -1: no sequence.</value>
    public int BaseSequence { get; set; } = RecordBatchHeader.NoSequence;

    /// <value>Default false.</value>
    public bool IsTransactional { get; set; }

    /// <value>Default false.</value>
    public bool IsControl { get; set; }

    /// <value>Default -1; the broker sets it on append.</value>
    public int PartitionLeaderEpoch { get; set; } = RecordBatchHeader.NoPartitionLeaderEpoch;

    /// <value>Default 0; the broker sets it on append.</value>
    public long BaseOffset { get; set; }

    /// <summary>Records appended since the last <see cref="Reset"/>.</summary>
    public int RecordCount => _recordCount;

    /// <summary>The first record's timestamp (-1 while empty).</summary>
    public long BaseTimestamp => _recordCount == 0 ? -1 : _baseTimestamp;

    /// <summary>The largest record timestamp (-1 while empty).</summary>
    public long MaxTimestamp => _recordCount == 0 ? -1 : _maxTimestamp;

    /// <summary>Bytes of the encoded records before compression.</summary>
    public int UncompressedRecordsSize => RecordsLength;

    /// <summary>
    /// The batch size so far, header included, counting records uncompressed: exact for uncompressed batches
    /// and, in practice, an upper bound for compressed ones. A producer stops adding at batch.size.
    /// </summary>
    public int EstimatedSize => RecordBatchHeader.Size + RecordsLength;

    // The records buffer starts with room for the header once the first record is appended.
    private int RecordsLength => _recordCount == 0 ? 0 : _records.WrittenCount - RecordBatchHeader.Size;

    /// <summary>An upper bound of the bytes a record adds to <see cref="EstimatedSize"/> (-1 lengths mean null).</summary>
    public static int EstimateRecordSize(int keyLength, int valueLength, ReadOnlySpan<RecordHeader> headers)
    {
        var body = RecordWriter.BodySize(long.MinValue, int.MaxValue, keyLength, valueLength, headers);
        return Varint.SizeOfVarint(body) + body;
    }

    /// <summary>
    /// True when a record of the given sizes keeps the batch within <paramref name="maxBatchSize"/>; always
    /// true for the first record, so that an oversized record still makes a batch of its own (as Kafka).
    /// </summary>
    public bool HasRoomFor(int keyLength, int valueLength, ReadOnlySpan<RecordHeader> headers, int maxBatchSize) =>
        _recordCount == 0 || (long)EstimatedSize + EstimateRecordSize(keyLength, valueLength, headers) <= maxBatchSize;

    /// <summary>Appends a record; its offset delta is the number of records before it.</summary>
    /// <param name="timestamp">Epoch milliseconds (CreateTime).</param>
    /// <param name="key">The key, or <see cref="RecordBytes.Null"/> (a null array is null too).</param>
    /// <param name="value">The value, or <see cref="RecordBytes.Null"/> (a tombstone).</param>
    /// <param name="headers">The record's headers, in order.</param>
    public void Append(long timestamp, RecordBytes key, RecordBytes value, ReadOnlySpan<RecordHeader> headers = default)
    {
        if (_recordCount == int.MaxValue)
        {
            throw new InvalidOperationException("A batch holds at most int.MaxValue records.");
        }
        if (_recordCount == 0)
        {
            _baseTimestamp = timestamp;
            _maxTimestamp = timestamp;
            // Room for the header, written in place by Build (the buffer is empty: new, or after Reset).
            _records.GetSpan(RecordBatchHeader.Size + 256);
            _records.Advance(RecordBatchHeader.Size);
        }
        else if (timestamp > _maxTimestamp)
        {
            _maxTimestamp = timestamp;
        }
        var timestampDelta = timestamp - _baseTimestamp;
        var body = RecordWriter.BodySize(timestampDelta, _recordCount, key.EncodedLength, value.EncodedLength, headers);
        var size = Varint.SizeOfVarint(body) + body;
        if (size > int.MaxValue - _records.WrittenCount)
        {
            throw new InvalidOperationException($"A record of {size} bytes does not fit in the batch.");
        }
        var written = RecordWriter.Write(_records.GetSpan(size), body, timestampDelta, _recordCount, key, value, headers);
        _records.Advance(written);
        _recordCount++;
    }

    /// <summary>Writes the batch to <paramref name="destination"/> and returns its size in bytes.</summary>
    /// <exception cref="InvalidOperationException">No record was appended (Kafka has no empty batches on produce).</exception>
    public int WriteTo(IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var payload = Payload();
        var size = RecordBatchHeader.Size + payload.Length;
        var span = destination.GetSpan(size);
        RecordWriter.WriteBatch(span, CreateHeader(payload.Length), payload);
        destination.Advance(size);
        return size;
    }

    /// <summary>
    /// The batch, header written in place before the records (or before the compressed records), in the builder's
    /// own pooled buffer: valid until <see cref="Reset"/> or <see cref="Dispose"/>, and not to be written by the caller.
    /// </summary>
    /// <exception cref="InvalidOperationException">No record was appended.</exception>
    public ReadOnlyMemory<byte> Build()
    {
        var payloadLength = Payload().Length;
        var container = _compression == CompressionType.None ? _records : _compressed!;
        var batch = container.WrittenSpanMutable;
        CreateHeader(payloadLength).WriteWithoutCrc(batch);
        RecordBatchHeader.WriteCrc(batch);
        return container.WrittenMemory;
    }

    /// <summary>The batch as a new array of exactly its size.</summary>
    /// <exception cref="InvalidOperationException">No record was appended.</exception>
    public byte[] ToArray()
    {
        var payload = Payload();
        var batch = new byte[RecordBatchHeader.Size + payload.Length];
        RecordWriter.WriteBatch(batch, CreateHeader(payload.Length), payload);
        return batch;
    }

    /// <summary>Forgets the records (keeping the batch settings and the pooled buffers) to build another batch.</summary>
    public void Reset()
    {
        _records.Reset();
        _compressed?.Reset();
        _recordCount = 0;
    }

    public void Dispose()
    {
        _records.Dispose();
        _compressed?.Dispose();
    }

    private ReadOnlySpan<byte> Payload()
    {
        if (_recordCount == 0)
        {
            throw new InvalidOperationException("The batch has no records: append at least one before writing it.");
        }
        var records = _records.WrittenSpan[RecordBatchHeader.Size..];
        if (_compression == CompressionType.None)
        {
            return records;
        }
        var compressed = _compressed ??= new PooledBufferWriter();
        compressed.Reset();
        compressed.GetSpan(RecordBatchHeader.Size);
        compressed.Advance(RecordBatchHeader.Size);
        CompressionCodecs.Get(_compression).Compress(records, compressed);
        return compressed.WrittenSpan[RecordBatchHeader.Size..];
    }

    private RecordBatchHeader CreateHeader(int payloadLength) => new()
    {
        BaseOffset = BaseOffset,
        BatchLength = RecordBatchHeader.Size - RecordBatchHeader.LogOverhead + payloadLength,
        PartitionLeaderEpoch = PartitionLeaderEpoch,
        Magic = RecordBatchHeader.CurrentMagic,
        Attributes = RecordBatchAttributes.Create(_compression, TimestampType, IsTransactional, IsControl),
        LastOffsetDelta = _recordCount - 1,
        BaseTimestamp = _baseTimestamp,
        MaxTimestamp = _maxTimestamp,
        ProducerId = ProducerId,
        ProducerEpoch = ProducerEpoch,
        BaseSequence = BaseSequence,
        RecordCount = _recordCount,
    };
}
