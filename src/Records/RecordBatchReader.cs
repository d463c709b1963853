using System.Runtime.InteropServices;

namespace Orlog.Records;

/// <summary>
/// Reads one complete RecordBatch v2: its <see cref="Header"/> and, by enumeration, its records.
/// A compressed batch is decompressed once, when the reader is made, into a pooled buffer that
/// <see cref="Dispose"/> returns; records are views into that buffer or into the batch, so use them
/// before disposing. Enumerating allocates nothing.
/// <code>
/// using var reader = new RecordBatchReader(batch);
/// foreach (var record in reader) { ... record.Offset, record.Key, record.Value ... }
/// </code>
/// The reader checks the framing, the magic and (unless told not to) the CRC when it is made, and each
/// record's lengths as it reaches it. It does not insist on dense offset deltas (compaction leaves gaps)
/// nor look for bytes after the last record. For the broker's full check use <see cref="RecordBatchValidator"/>.
/// </summary>
[StructLayout(LayoutKind.Auto)]
public ref struct RecordBatchReader
{
    private readonly ReadOnlySpan<byte> _records;
    private PooledBufferWriter? _decompressed;

    /// <summary>Reads <paramref name="batch"/>, which holds exactly one batch.</summary>
    /// <param name="batch">One whole batch.</param>
    /// <param name="verifyCrc">Check the CRC-32C first (Kafka consumers' check.crcs, default true).</param>
    /// <param name="maxUncompressedBytes">The most bytes a compressed batch may decompress to.</param>
    /// <exception cref="KafkaException">CORRUPT_MESSAGE for bad framing, magic or CRC, or a corrupt compressed
    /// payload; UNSUPPORTED_COMPRESSION_TYPE; MESSAGE_TOO_LARGE past <paramref name="maxUncompressedBytes"/>.</exception>
    public RecordBatchReader(ReadOnlySpan<byte> batch, bool verifyCrc = true, int maxUncompressedBytes = int.MaxValue)
    {
        RecordBatchChecks.CheckFraming(batch);
        RecordBatchChecks.CheckMagic(batch[RecordBatchHeader.MagicOffset]);
        if (verifyCrc)
        {
            RecordBatchChecks.CheckCrc(batch);
        }
        Header = RecordBatchHeader.Read(batch);
        RecordBatchChecks.CheckCompression(Header.Attributes);
        var payload = batch[RecordBatchHeader.Size..];
        if (Header.Compression == CompressionType.None)
        {
            _records = payload;
        }
        else
        {
            _decompressed = RecordBatchPayload.Decompress(Header.Compression, payload, maxUncompressedBytes);
            _records = _decompressed.WrittenSpan;
        }
    }

    /// <summary>Reads the batch held by <paramref name="batch"/>; see the span overload.</summary>
    public RecordBatchReader(ReadOnlyMemory<byte> batch, bool verifyCrc = true, int maxUncompressedBytes = int.MaxValue)
        : this(batch.Span, verifyCrc, maxUncompressedBytes)
    {
    }

    public RecordBatchHeader Header { get; }

    /// <summary>The encoded records, decompressed.</summary>
    public readonly ReadOnlySpan<byte> Records => _records;

    public readonly Enumerator GetEnumerator() => new(_records, Header);

    /// <summary>Returns the decompression buffer to the pool; records read before are invalid afterwards.</summary>
    public void Dispose()
    {
        _decompressed?.Dispose();
        _decompressed = null;
    }

    /// <summary>Yields the batch's records in order, <see cref="RecordBatchHeader.RecordCount"/> of them.</summary>
    [StructLayout(LayoutKind.Auto)]
    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> _records;
        private readonly int _count;
        private readonly long _baseOffset;
        private readonly long _baseTimestamp;
        private readonly long? _logAppendTime;
        private int _index;
        private int _position;

        internal Enumerator(ReadOnlySpan<byte> records, scoped in RecordBatchHeader header)
        {
            _records = records;
            _count = header.RecordCount;
            _baseOffset = header.BaseOffset;
            _baseTimestamp = header.BaseTimestamp;
            _logAppendTime = header.TimestampType == TimestampType.LogAppendTime ? header.MaxTimestamp : null;
            _index = -1;
        }

        public Record Current { get; private set; }

        /// <exception cref="KafkaException">INVALID_RECORD when a record is malformed or the records end early.</exception>
        public bool MoveNext()
        {
            if (_index + 1 >= _count)
            {
                return false;
            }
            _index++;
            if (_position >= _records.Length)
            {
                RecordParser.Throw(_index, $"is missing: the batch declares {_count} records but its data ends after {_index}");
            }
            Current = RecordParser.Read(_records, ref _position, _index, _baseOffset, _baseTimestamp, _logAppendTime);
            return true;
        }
    }
}
