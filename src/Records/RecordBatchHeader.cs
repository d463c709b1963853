using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Orlog.Records;

/// <summary>
/// The 61-byte header of a Kafka RecordBatch v2 (magic 2), all fields big-endian.
/// <code>
///  0 baseOffset int64        27 baseTimestamp int64
///  8 batchLength int32       35 maxTimestamp int64
/// 12 partitionLeaderEpoch    43 producerId int64
/// 16 magic int8              51 producerEpoch int16
/// 17 crc uint32              53 baseSequence int32
/// 21 attributes int16        57 recordCount int32
/// 23 lastOffsetDelta int32   61 records...
/// </code>
/// batchLength counts the bytes after itself (the whole batch is batchLength + 12 bytes). The CRC-32C
/// covers attributes to the end, so baseOffset and partitionLeaderEpoch can be set without re-encoding.
/// </summary>
[StructLayout(LayoutKind.Auto)]
public readonly struct RecordBatchHeader
{
    public const int Size = 61;
    public const byte CurrentMagic = 2;

    /// <summary>Bytes of the offset and length fields that precede the part counted by batchLength.</summary>
    public const int LogOverhead = 12;

    public const int BaseOffsetOffset = 0;
    public const int BatchLengthOffset = 8;
    public const int PartitionLeaderEpochOffset = 12;
    public const int MagicOffset = 16;
    public const int CrcOffset = 17;
    public const int AttributesOffset = 21;
    public const int LastOffsetDeltaOffset = 23;
    public const int BaseTimestampOffset = 27;
    public const int MaxTimestampOffset = 35;
    public const int ProducerIdOffset = 43;
    public const int ProducerEpochOffset = 51;
    public const int BaseSequenceOffset = 53;
    public const int RecordCountOffset = 57;

    /// <summary>No producer id: the batch was not written by an idempotent producer.</summary>
    public const long NoProducerId = -1;
    public const short NoProducerEpoch = -1;
    public const int NoSequence = -1;
    public const int NoPartitionLeaderEpoch = -1;

    public long BaseOffset { get; init; }
    public int BatchLength { get; init; }
    public int PartitionLeaderEpoch { get; init; }
    public byte Magic { get; init; }
    public uint Crc { get; init; }
    public short Attributes { get; init; }
    public int LastOffsetDelta { get; init; }
    public long BaseTimestamp { get; init; }
    public long MaxTimestamp { get; init; }
    public long ProducerId { get; init; }
    public short ProducerEpoch { get; init; }
    public int BaseSequence { get; init; }
    public int RecordCount { get; init; }

    /// <summary>The whole batch's size in bytes, header included.</summary>
    public int TotalSize => BatchLength + LogOverhead;

    public long LastOffset => BaseOffset + LastOffsetDelta;

    /// <summary>The offset after this batch.</summary>
    public long NextOffset => LastOffset + 1;

    public CompressionType Compression => (CompressionType)(Attributes & RecordBatchAttributes.CompressionMask);

    public TimestampType TimestampType => (Attributes & RecordBatchAttributes.TimestampTypeFlag) != 0 ? TimestampType.LogAppendTime : TimestampType.CreateTime;

    public bool IsTransactional => (Attributes & RecordBatchAttributes.TransactionalFlag) != 0;

    public bool IsControl => (Attributes & RecordBatchAttributes.ControlFlag) != 0;

    public bool HasProducerId => ProducerId >= 0;

    /// <summary>The sequence of the batch's last record; sequences wrap at int.MaxValue as in Kafka.</summary>
    public int LastSequence => BaseSequence == NoSequence ? NoSequence : IncrementSequence(BaseSequence, LastOffsetDelta);

    /// <summary>Reads a header; the span must hold at least <see cref="Size"/> bytes. Checks nothing.</summary>
    public static RecordBatchHeader Read(ReadOnlySpan<byte> batch) => new()
    {
        BaseOffset = BinaryPrimitives.ReadInt64BigEndian(batch),
        BatchLength = BinaryPrimitives.ReadInt32BigEndian(batch[BatchLengthOffset..]),
        PartitionLeaderEpoch = BinaryPrimitives.ReadInt32BigEndian(batch[PartitionLeaderEpochOffset..]),
        Magic = batch[MagicOffset],
        Crc = BinaryPrimitives.ReadUInt32BigEndian(batch[CrcOffset..]),
        Attributes = BinaryPrimitives.ReadInt16BigEndian(batch[AttributesOffset..]),
        LastOffsetDelta = BinaryPrimitives.ReadInt32BigEndian(batch[LastOffsetDeltaOffset..]),
        BaseTimestamp = BinaryPrimitives.ReadInt64BigEndian(batch[BaseTimestampOffset..]),
        MaxTimestamp = BinaryPrimitives.ReadInt64BigEndian(batch[MaxTimestampOffset..]),
        ProducerId = BinaryPrimitives.ReadInt64BigEndian(batch[ProducerIdOffset..]),
        ProducerEpoch = BinaryPrimitives.ReadInt16BigEndian(batch[ProducerEpochOffset..]),
        BaseSequence = BinaryPrimitives.ReadInt32BigEndian(batch[BaseSequenceOffset..]),
        RecordCount = BinaryPrimitives.ReadInt32BigEndian(batch[RecordCountOffset..]),
    };

    /// <summary>Writes every header field except the CRC, which <see cref="WriteCrc"/> computes afterwards.</summary>
    public void WriteWithoutCrc(Span<byte> batch)
    {
        BinaryPrimitives.WriteInt64BigEndian(batch, BaseOffset);
        BinaryPrimitives.WriteInt32BigEndian(batch[BatchLengthOffset..], BatchLength);
        BinaryPrimitives.WriteInt32BigEndian(batch[PartitionLeaderEpochOffset..], PartitionLeaderEpoch);
        batch[MagicOffset] = Magic;
        BinaryPrimitives.WriteInt16BigEndian(batch[AttributesOffset..], Attributes);
        BinaryPrimitives.WriteInt32BigEndian(batch[LastOffsetDeltaOffset..], LastOffsetDelta);
        BinaryPrimitives.WriteInt64BigEndian(batch[BaseTimestampOffset..], BaseTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(batch[MaxTimestampOffset..], MaxTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(batch[ProducerIdOffset..], ProducerId);
        BinaryPrimitives.WriteInt16BigEndian(batch[ProducerEpochOffset..], ProducerEpoch);
        BinaryPrimitives.WriteInt32BigEndian(batch[BaseSequenceOffset..], BaseSequence);
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordCountOffset..], RecordCount);
    }

    /// <summary>Reads only the batch length field (the first 12 bytes must be present).</summary>
    /// <summary>
    /// The offset after the last whole batch of <paramref name="batches"/> (batches back to back, as a log
    /// stores them); <paramref name="none"/> when there is no whole batch. Reads headers only.
    /// </summary>
    public static long NextOffsetAfter(ReadOnlySpan<byte> batches, long none)
    {
        var next = none;
        var position = 0;
        while (batches.Length - position >= Size)
        {
            var batch = batches[position..];
            var total = ReadBatchLength(batch) + LogOverhead;
            if (total < Size || total > batches.Length - position)
            {
                break;
            }
            next = ReadBaseOffset(batch) + BinaryPrimitives.ReadInt32BigEndian(batch[LastOffsetDeltaOffset..]) + 1;
            position += total;
        }
        return next;
    }

    public static int ReadBatchLength(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt32BigEndian(batch[BatchLengthOffset..]);

    public static long ReadBaseOffset(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt64BigEndian(batch);

    /// <summary>Sets the base offset in place: it is outside the CRC, so the batch stays valid.</summary>
    public static void WriteBaseOffset(Span<byte> batch, long baseOffset) => BinaryPrimitives.WriteInt64BigEndian(batch, baseOffset);

    /// <summary>Sets the partition leader epoch in place: it is outside the CRC, so the batch stays valid.</summary>
    public static void WritePartitionLeaderEpoch(Span<byte> batch, int epoch) => BinaryPrimitives.WriteInt32BigEndian(batch[PartitionLeaderEpochOffset..], epoch);

    /// <summary>CRC-32C (Castagnoli) of attributes..end, as the v2 format defines it.</summary>
    public static uint ComputeCrc(ReadOnlySpan<byte> batch) => Crc32C.Compute(batch[AttributesOffset..]);

    /// <summary>Computes and stores the CRC of a complete batch.</summary>
    public static void WriteCrc(Span<byte> batch) => BinaryPrimitives.WriteUInt32BigEndian(batch[CrcOffset..], ComputeCrc(batch));

    /// <summary>
    /// Sets the timestamp type bit and the max timestamp in place and recomputes the CRC (both are under it),
    /// as a broker does for LogAppendTime topics or to correct a CreateTime batch's max timestamp. Does
    /// nothing when both already hold those values.
    /// </summary>
    public static void SetMaxTimestamp(Span<byte> batch, TimestampType timestampType, long maxTimestamp)
    {
        var attributes = BinaryPrimitives.ReadInt16BigEndian(batch[AttributesOffset..]);
        var updated = timestampType == TimestampType.LogAppendTime
            ? (short)(attributes | RecordBatchAttributes.TimestampTypeFlag)
            : (short)(attributes & ~RecordBatchAttributes.TimestampTypeFlag);
        if (updated == attributes && BinaryPrimitives.ReadInt64BigEndian(batch[MaxTimestampOffset..]) == maxTimestamp)
        {
            return;
        }
        BinaryPrimitives.WriteInt16BigEndian(batch[AttributesOffset..], updated);
        BinaryPrimitives.WriteInt64BigEndian(batch[MaxTimestampOffset..], maxTimestamp);
        WriteCrc(batch);
    }

    public static int IncrementSequence(int sequence, int increment)
    {
        // Kafka wraps sequences to 0 after int.MaxValue.
        var next = (long)sequence + increment;
        return next > int.MaxValue ? (int)(next - int.MaxValue - 1) : (int)next;
    }
}
