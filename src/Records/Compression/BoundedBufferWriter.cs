using System.Buffers;

namespace Orlog.Records.Compression;

/// <summary>
/// Passes writes through to another writer and refuses (MESSAGE_TOO_LARGE) once more than a limit has been
/// written, so that a decompression bomb stops at the limit instead of filling memory.
/// </summary>
internal sealed class BoundedBufferWriter(IBufferWriter<byte> inner, int limit, string codec) : IBufferWriter<byte>
{
    public int Written { get; private set; }

    public void Advance(int count)
    {
        if (count > limit - Written)
        {
            throw CodecErrors.TooLarge(codec, limit);
        }
        inner.Advance(count);
        Written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

    public Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);
}
