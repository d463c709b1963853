using System.Runtime.InteropServices;
using System.Text;

namespace Orlog.Records;

/// <summary>
/// A record header to write: a key (a string, UTF-8 on the wire, never null) and a value (bytes, or null).
/// The reading side is <see cref="RecordHeaderView"/>.
/// </summary>
[StructLayout(LayoutKind.Auto)]
public readonly struct RecordHeader
{
    private readonly string? _key;
    private readonly ReadOnlyMemory<byte> _keyUtf8;
    private readonly ReadOnlyMemory<byte> _value;
    private readonly bool _isValueNull;

    /// <summary>A header with a string key and a value (null allowed).</summary>
    public RecordHeader(string key, byte[]? value)
        : this(key, value, value is null)
    {
    }

    /// <summary>A header with a string key and a non-null value.</summary>
    public RecordHeader(string key, ReadOnlyMemory<byte> value)
        : this(key, value, isValueNull: false)
    {
    }

    private RecordHeader(string key, ReadOnlyMemory<byte> value, bool isValueNull)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = key;
        _value = value;
        _isValueNull = isValueNull;
    }

    private RecordHeader(ReadOnlyMemory<byte> keyUtf8, ReadOnlyMemory<byte> value, bool isValueNull)
    {
        _keyUtf8 = keyUtf8;
        _value = value;
        _isValueNull = isValueNull;
    }

    /// <summary>A header whose key is given already encoded as UTF-8 (not checked).</summary>
    public static RecordHeader FromUtf8Key(ReadOnlyMemory<byte> keyUtf8, byte[]? value) => new(keyUtf8, value, value is null);

    /// <summary>The key as a string (decoded when the header was made from UTF-8 bytes).</summary>
    public string Key => _key ?? Encoding.UTF8.GetString(_keyUtf8.Span);

    public ReadOnlyMemory<byte> Value => _value;

    public bool IsValueNull => _isValueNull;

    /// <summary>Bytes of the key in UTF-8.</summary>
    internal int KeyByteCount => _key is null ? _keyUtf8.Length : Encoding.UTF8.GetByteCount(_key);

    internal int WriteKey(Span<byte> destination)
    {
        if (_key is null)
        {
            _keyUtf8.Span.CopyTo(destination);
            return _keyUtf8.Length;
        }
        return Encoding.UTF8.GetBytes(_key, destination);
    }
}
