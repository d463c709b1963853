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
            Throw(index, $"has a negative length {length}");
        }
        if (length > remaining.Length - prefix)
        {
            Throw(index, $"declares a length of {length} bytes but only {remaining.Length - prefix} remain in the batch");
        }
        var body = remaining.Slice(prefix, length);
        if (body.IsEmpty)
        {
            Throw(index, "has length 0, too short for its attributes");
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
            Throw(index, $"has a negative header count {headerCount}");
        }
        var headersStart = p;
        for (var h = 0; h < headerCount; h++)
        {
            var keyLength = ReadVarint(body, ref p, index, "header key length");
            if (keyLength < 0)
            {
                Throw(index, $"header {h} has key length {keyLength}; a header key is never null");
            }
            if (keyLength > body.Length - p)
            {
                ThrowPastEnd(index, $"header {h} key of {keyLength} bytes", body.Length - p, body.Length);
            }
            p += keyLength;
            _ = ReadBytes(body, ref p, index, "header value", "header value length", out _);
        }
        if (p != body.Length)
        {
            Throw(index, $"declares a length of {length} bytes but its fields end after {p}: {length - p} bytes left over");
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

    private static ReadOnlySpan<byte> ReadBytes(ReadOnlySpan<byte> body, scoped ref int p, int index, string field, string lengthField, out bool isNull)
    {
        var length = ReadVarint(body, ref p, index, lengthField);
        if (length < 0)
        {
            if (length != -1)
            {
                Throw(index, $"has {field} length {length}; only -1 (null) may be negative");
            }
            isNull = true;
            return [];
        }
        if (length > body.Length - p)
        {
            ThrowPastEnd(index, $"{field} of {length} bytes", body.Length - p, body.Length);
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
    private static void ThrowPastEnd(int index, string what, int left, int length) =>
        Throw(index, $"{what} runs past the record's declared length of {length} bytes ({left} left)");

    [DoesNotReturn]
    internal static void Throw(int index, string detail) =>
        throw new KafkaException(ErrorCode.InvalidRecord, $"record {index} {detail}.");
}
