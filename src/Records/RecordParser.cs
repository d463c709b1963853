using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Orlog.Records;

/// <summary>
/// Parses one v2 record out of a batch's (decompressed) records, checking every length against the
/// record's declared size and the bytes that remain. A failure throws <see cref="KafkaException"/>
/// (INVALID_RECORD, as Kafka's InvalidRecordException) with a message naming the record and the field.
/// Shared by <see cref="RecordBatchReader"/> and <see cref="RecordBatchValidator"/>.
/// </summary>
internal static class RecordParser
{
    /// <summary>Reads the record at <paramref name="position"/> and moves past it.</summary>
    /// <param name="records">All records of the batch.</param>
    /// <param name="position">Where the record starts; on return, where the next one starts.</param>
    /// <param name="index">The record's index in the batch, for messages.</param>
    /// <param name="baseOffset">The batch's base offset.</param>
    /// <param name="baseTimestamp">The batch's base timestamp.</param>
    /// <param name="logAppendTime">The batch's max timestamp when it is a LogAppendTime batch, else null.</param>
    public static Record Read(ReadOnlySpan<byte> records, scoped ref int position, int index, long baseOffset, long baseTimestamp, long? logAppendTime)
    {
        var start = position;
        var remaining = records[start..];
        var status = Varint.TryReadVarint(remaining, out var length, out var prefix);
        if (status != OperationStatus.Done)
        {
            ThrowLengthPrefix(index, status, start);
        }
        if (length < 0)
        {
            ThrowNegative(index, "length", length);
        }
        if (length > remaining.Length - prefix)
        {
            ThrowLengthPastBatch(index, length, remaining.Length - prefix);
        }
        var body = remaining.Slice(prefix, length);
        if (body.IsEmpty)
        {
            ThrowEmpty(index);
        }
        var attributes = body[0];
        var p = 1;
        var timestampDelta = ReadVarlong(body, ref p, index, "timestamp delta");
        var offsetDelta = ReadVarint(body, ref p, index, "offset delta");
        var key = ReadBytes(body, ref p, index, "key", "key length", out var isKeyNull);
        var value = ReadBytes(body, ref p, index, "value", "value length", out var isValueNull);
        var headerCount = ReadVarint(body, ref p, index, "header count");
        if (headerCount < 0)
        {
            ThrowNegative(index, "header count", headerCount);
        }
        var headersStart = p;
        for (var h = 0; h < headerCount; h++)
        {
            var keyLength = ReadVarint(body, ref p, index, "header key length");
            if (keyLength < 0)
            {
                ThrowNullHeaderKey(index, h, keyLength);
            }
            if (keyLength > body.Length - p)
            {
                ThrowHeaderKeyPastEnd(index, h, keyLength, body.Length - p, body.Length);
            }
            p += keyLength;
            _ = ReadBytes(body, ref p, index, "header value", "header value length", out _);
        }
        if (p != body.Length)
        {
            ThrowLeftOver(index, length, p);
        }
        position = start + prefix + length;
        var timestamp = logAppendTime ?? baseTimestamp + timestampDelta;
        return new Record(
            baseOffset + offsetDelta,
            offsetDelta,
            timestamp,
            timestampDelta,
            attributes,
            key,
            isKeyNull,
            value,
            isValueNull,
            new RecordHeaders(body[headersStart..], headerCount),
            prefix + length);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ReadVarint(ReadOnlySpan<byte> body, scoped ref int p, int index, string field)
    {
        var status = Varint.TryReadVarint(body[p..], out var value, out var n);
        if (status != OperationStatus.Done)
        {
            ThrowField(index, field, status, body.Length);
        }
        p += n;
        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long ReadVarlong(ReadOnlySpan<byte> body, scoped ref int p, int index, string field)
    {
        var status = Varint.TryReadVarlong(body[p..], out var value, out var n);
        if (status != OperationStatus.Done)
        {
            ThrowField(index, field, status, body.Length);
        }
        p += n;
        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ReadOnlySpan<byte> ReadBytes(ReadOnlySpan<byte> body, scoped ref int p, int index, string field, string lengthField, out bool isNull)
    {
        var length = ReadVarint(body, ref p, index, lengthField);
        if (length < 0)
        {
            if (length != -1)
            {
                ThrowBadNegativeLength(index, field, length);
            }
            isNull = true;
            return [];
        }
        if (length > body.Length - p)
        {
            ThrowPastEnd(index, field, length, body.Length - p, body.Length);
        }
        isNull = false;
        var bytes = body.Slice(p, length);
        p += length;
        return bytes;
    }

    [DoesNotReturn]
    private static void ThrowLengthPrefix(int index, OperationStatus status, int start) => Throw(
        index,
        status == OperationStatus.NeedMoreData
            ? $"has a length varint cut off by the end of the batch (at byte {start} of the records)"
            : $"has a malformed length varint (at byte {start} of the records)");

    [DoesNotReturn]
    private static void ThrowField(int index, string field, OperationStatus status, int length) => Throw(
        index,
        status == OperationStatus.NeedMoreData
            ? $"{field} runs past the record's declared length of {length} bytes"
            : $"{field} is a malformed varint");

    [DoesNotReturn]
    private static void ThrowPastEnd(int index, string field, int fieldLength, int left, int length) =>
        Throw(index, $"{field} of {fieldLength} bytes runs past the record's declared length of {length} bytes ({left} left)");

    [DoesNotReturn]
    private static void ThrowHeaderKeyPastEnd(int index, int header, int keyLength, int left, int length) =>
        Throw(index, $"header {header} key of {keyLength} bytes runs past the record's declared length of {length} bytes ({left} left)");

    [DoesNotReturn]
    private static void ThrowNegative(int index, string field, int value) => Throw(index, $"has a negative {field} {value}");

    [DoesNotReturn]
    private static void ThrowLengthPastBatch(int index, int length, int left) =>
        Throw(index, $"declares a length of {length} bytes but only {left} remain in the batch");

    [DoesNotReturn]
    private static void ThrowEmpty(int index) => Throw(index, "has length 0, too short for its attributes");

    [DoesNotReturn]
    private static void ThrowNullHeaderKey(int index, int header, int keyLength) =>
        Throw(index, $"header {header} has key length {keyLength}; a header key is never null");

    [DoesNotReturn]
    private static void ThrowLeftOver(int index, int length, int end) =>
        Throw(index, $"declares a length of {length} bytes but its fields end after {end}: {length - end} bytes left over");

    [DoesNotReturn]
    private static void ThrowBadNegativeLength(int index, string field, int length) =>
        Throw(index, $"has {field} length {length}; only -1 (null) may be negative");

    [DoesNotReturn]
    internal static void Throw(int index, string detail) =>
        throw new KafkaException(ErrorCode.InvalidRecord, $"record {index} {detail}.");
}
