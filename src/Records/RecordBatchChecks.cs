using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Orlog.Records.Compression;

namespace Orlog.Records;

/// <summary>
/// The header-level checks of a v2 batch, each throwing <see cref="KafkaException"/> with a message that
/// names the cause. Error codes: bad framing, magic above 2, bad CRC → CORRUPT_MESSAGE; magic 0 or 1 →
/// UNSUPPORTED_FOR_MESSAGE_FORMAT; an inconsistent record count → INVALID_RECORD; an unknown codec →
/// UNSUPPORTED_COMPRESSION_TYPE.
/// </summary>
internal static class RecordBatchChecks
{
    /// <summary>batchLength counts at least the header fields after itself.</summary>
    public const int MinBatchLength = RecordBatchHeader.Size - RecordBatchHeader.LogOverhead;

    /// <summary>The span holds a whole header and exactly the batch its batchLength describes.</summary>
    public static void CheckFraming(ReadOnlySpan<byte> batch)
    {
        if (batch.Length < RecordBatchHeader.Size)
        {
            ThrowCorrupt($"the batch is {batch.Length} bytes, shorter than the {RecordBatchHeader.Size}-byte v2 header");
        }
        var batchLength = RecordBatchHeader.ReadBatchLength(batch);
        if (batchLength < MinBatchLength)
        {
            ThrowCorrupt($"batchLength {batchLength} is smaller than the {MinBatchLength} header bytes it must count");
        }
        var declared = (long)batchLength + RecordBatchHeader.LogOverhead;
        if (declared > batch.Length)
        {
            ThrowCorrupt($"batchLength {batchLength} makes the batch {declared} bytes, past the end of the {batch.Length} bytes given");
        }
        if (declared < batch.Length)
        {
            ThrowCorrupt($"{batch.Length - declared} trailing bytes after the batch: batchLength {batchLength} makes it {declared} bytes but {batch.Length} were given");
        }
    }

    public static void CheckMagic(byte magic)
    {
        if (magic == RecordBatchHeader.CurrentMagic)
        {
            return;
        }
        if (magic < RecordBatchHeader.CurrentMagic)
        {
            throw new KafkaException(ErrorCode.UnsupportedForMessageFormat, $"magic {magic} (a v{magic} message set) is not supported; Orlog reads and writes only RecordBatch v2 (magic 2), which Kafka clients since 0.11 produce.");
        }
        ThrowCorrupt($"unsupported magic {magic}; a v2 batch has magic 2");
    }

    public static void CheckCrc(ReadOnlySpan<byte> batch)
    {
        var stored = BinaryPrimitives.ReadUInt32BigEndian(batch[RecordBatchHeader.CrcOffset..]);
        var actual = RecordBatchHeader.ComputeCrc(batch);
        if (stored != actual)
        {
            ThrowCorrupt($"CRC-32C mismatch: the header says 0x{stored:X8} but the bytes from attributes to the end give 0x{actual:X8}");
        }
    }

    public static void CheckRecordCount(int recordCount, int lastOffsetDelta)
    {
        if (recordCount < 1)
        {
            ThrowInvalid($"record count {recordCount}: a batch holds at least one record");
        }
        if (lastOffsetDelta != recordCount - 1)
        {
            ThrowInvalid($"lastOffsetDelta {lastOffsetDelta} disagrees with the record count {recordCount} (expected {recordCount - 1})");
        }
    }

    public static void CheckCompression(short attributes)
    {
        var id = attributes & RecordBatchAttributes.CompressionMask;
        if (!CompressionCodecs.IsKnown((CompressionType)id))
        {
            throw CompressionCodecs.Unsupported(id);
        }
    }

    [DoesNotReturn]
    public static void ThrowCorrupt(string detail) => throw new KafkaException(ErrorCode.CorruptMessage, detail + ".");

    [DoesNotReturn]
    public static void ThrowInvalid(string detail) => throw new KafkaException(ErrorCode.InvalidRecord, detail + ".");
}
