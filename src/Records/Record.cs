using System.Runtime.InteropServices;

namespace Orlog.Records;

/// <summary>
/// One record of a batch, as <see cref="RecordBatchReader"/> yields it: views into the batch's bytes (or its
/// decompressed records), valid until the reader is disposed. Null keys and values are told apart from
/// empty ones by <see cref="IsKeyNull"/> and <see cref="IsValueNull"/>.
/// </summary>
[StructLayout(LayoutKind.Auto)]
public readonly ref struct Record
{
    internal Record(long offset, int offsetDelta, long timestamp, long timestampDelta, byte attributes, ReadOnlySpan<byte> key, bool isKeyNull, ReadOnlySpan<byte> value, bool isValueNull, RecordHeaders headers, int sizeInBytes)
    {
        Offset = offset;
        OffsetDelta = offsetDelta;
        Timestamp = timestamp;
        TimestampDelta = timestampDelta;
        Attributes = attributes;
        Key = key;
        IsKeyNull = isKeyNull;
        Value = value;
        IsValueNull = isValueNull;
        Headers = headers;
        SizeInBytes = sizeInBytes;
    }

    /// <summary>The record's offset: the batch's base offset plus <see cref="OffsetDelta"/>.</summary>
    public long Offset { get; }

    public int OffsetDelta { get; }

    /// <summary>Epoch milliseconds: base timestamp plus delta, or the batch's max timestamp in LogAppendTime batches.</summary>
    public long Timestamp { get; }

    /// <summary>The timestamp delta as stored in the record.</summary>
    public long TimestampDelta { get; }

    /// <summary>The record's attributes byte (unused by Kafka today, 0).</summary>
    public byte Attributes { get; }

    /// <summary>The key (empty when null; see <see cref="IsKeyNull"/>).</summary>
    public ReadOnlySpan<byte> Key { get; }

    public bool IsKeyNull { get; }

    /// <summary>The value (empty when null; see <see cref="IsValueNull"/>).</summary>
    public ReadOnlySpan<byte> Value { get; }

    /// <summary>True for a null value (a tombstone in a compacted topic).</summary>
    public bool IsValueNull { get; }

    public RecordHeaders Headers { get; }

    /// <summary>Bytes of the encoded record, length prefix included.</summary>
    public int SizeInBytes { get; }

    /// <summary>The key as a new array, or null.</summary>
    public byte[]? KeyToArray() => IsKeyNull ? null : Key.ToArray();

    /// <summary>The value as a new array, or null.</summary>
    public byte[]? ValueToArray() => IsValueNull ? null : Value.ToArray();
}
