using System.Runtime.InteropServices;
using System.Text;

namespace Orlog.Records;

/// <summary>One header of a read record: views into the batch's bytes.</summary>
[StructLayout(LayoutKind.Auto)]
public readonly ref struct RecordHeaderView
{
    internal RecordHeaderView(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool isValueNull)
    {
        Key = key;
        Value = value;
        IsValueNull = isValueNull;
    }

    /// <summary>The key's UTF-8 bytes.</summary>
    public ReadOnlySpan<byte> Key { get; }

    /// <summary>The value (empty when null; see <see cref="IsValueNull"/>).</summary>
    public ReadOnlySpan<byte> Value { get; }

    public bool IsValueNull { get; }

    /// <summary>The key decoded from UTF-8 (allocates a string).</summary>
    public string KeyString => Encoding.UTF8.GetString(Key);

    /// <summary>A copy that outlives the batch (allocates).</summary>
    public RecordHeader ToRecordHeader() => new(KeyString, IsValueNull ? null : Value.ToArray());
}
