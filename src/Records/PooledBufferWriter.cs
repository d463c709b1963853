using System.Buffers;

namespace Orlog.Records;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over one array rented from <see cref="ArrayPool{T}.Shared"/>, grown by
/// doubling. <see cref="Reset"/> keeps the array for reuse; <see cref="Dispose"/> returns it.
/// </summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private const int MinimumSize = 256;

    private byte[] _buffer;
    private int _written;

    public PooledBufferWriter(int initialCapacity = 0)
    {
        _buffer = initialCapacity > 0 ? ArrayPool<byte>.Shared.Rent(initialCapacity) : [];
    }

    public int WrittenCount => _written;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    /// <summary>The written bytes, writable (for back-filling lengths and CRCs).</summary>
    public Span<byte> WrittenSpanMutable => _buffer.AsSpan(0, _written);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > _buffer.Length - _written)
        {
            throw new InvalidOperationException($"Cannot advance {count} bytes past the end of the buffer.");
        }
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Forgets what was written and keeps the rented array.</summary>
    public void Reset() => _written = 0;

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _written = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Ensure(int sizeHint)
    {
        if (sizeHint < 1)
        {
            sizeHint = 1;
        }
        if (_buffer.Length - _written >= sizeHint)
        {
            return;
        }
        var needed = (long)_written + sizeHint;
        var size = Math.Max(Math.Max(needed, (long)_buffer.Length * 2), MinimumSize);
        if (size > Array.MaxLength)
        {
            size = needed <= Array.MaxLength ? Array.MaxLength : throw new InvalidOperationException($"A buffer of {needed} bytes is beyond what one array holds.");
        }
        var next = ArrayPool<byte>.Shared.Rent((int)size);
        _buffer.AsSpan(0, _written).CopyTo(next);
        var old = _buffer;
        _buffer = next;
        if (old.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(old);
        }
    }
}
