using System.Runtime.InteropServices;

namespace Orlog.Records;

/// <summary>
/// A record's key or value handed to <see cref="RecordBatchBuilder"/>: bytes, or null (Kafka distinguishes a
/// null key or value, written as length -1, from an empty one). Converts implicitly from a span (never
/// null) and from an array (a null array is null).
/// </summary>
[StructLayout(LayoutKind.Auto)]
public readonly ref struct RecordBytes
{
    private RecordBytes(ReadOnlySpan<byte> span, bool isNull)
    {
        Span = span;
        IsNull = isNull;
    }

    /// <summary>The null key or value (a tombstone's value, a record without key).</summary>
    public static RecordBytes Null => new([], isNull: true);

    public ReadOnlySpan<byte> Span { get; }

    public bool IsNull { get; }

    /// <summary>The length written in the record: the byte count, or -1 for null.</summary>
    public int EncodedLength => IsNull ? -1 : Span.Length;

    public static implicit operator RecordBytes(ReadOnlySpan<byte> span) => new(span, isNull: false);

    public static implicit operator RecordBytes(Span<byte> span) => new(span, isNull: false);

    public static implicit operator RecordBytes(byte[]? array) => array is null ? Null : new(array, isNull: false);

    public static RecordBytes FromMemory(ReadOnlyMemory<byte>? memory) => memory is { } m ? new(m.Span, isNull: false) : Null;
}
