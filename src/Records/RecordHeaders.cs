using System.Runtime.InteropServices;

namespace Orlog.Records;

/// <summary>The headers of a <see cref="Record"/>, in order; enumerating allocates nothing.</summary>
[StructLayout(LayoutKind.Auto)]
public readonly ref struct RecordHeaders
{
    private readonly ReadOnlySpan<byte> _encoded;

    internal RecordHeaders(ReadOnlySpan<byte> encoded, int count)
    {
        _encoded = encoded;
        Count = count;
    }

    public int Count { get; }

    public Enumerator GetEnumerator() => new(_encoded, Count);

    /// <summary>Walks headers that <see cref="RecordParser"/> has already checked.</summary>
    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> _encoded;
        private readonly int _count;
        private int _index;
        private int _position;

        internal Enumerator(ReadOnlySpan<byte> encoded, int count)
        {
            _encoded = encoded;
            _count = count;
            _index = -1;
        }

        public RecordHeaderView Current { get; private set; }

        public bool MoveNext()
        {
            if (++_index >= _count)
            {
                return false;
            }
            var rest = _encoded[_position..];
            var keyLength = Varint.ReadVarint(rest, out var n);
            var key = rest.Slice(n, keyLength);
            rest = rest[(n + keyLength)..];
            var valueLength = Varint.ReadVarint(rest, out var m);
            var value = valueLength < 0 ? [] : rest.Slice(m, valueLength);
            Current = new RecordHeaderView(key, value, valueLength < 0);
            _position += n + keyLength + m + Math.Max(valueLength, 0);
            return true;
        }
    }
}
