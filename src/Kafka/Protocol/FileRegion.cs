using System.Buffers;

namespace Orlog.Kafka.Protocol;

/// <summary>
/// Bytes that stay in a file until they are sent: a connection that finds them in a response sends them from the
/// file to the socket (sendfile) without reading them into memory. Anything else that asks for the span gets
/// them read, once. The file is open from <see cref="TryOpen"/> until the region is disposed, so the bytes can
/// still be sent after the file is deleted.
/// </summary>
public sealed class FileRegion : MemoryManager<byte>
{
    private byte[]? _read;
    private bool _disposed;

    private FileRegion(FileStream file, long position, int length)
    {
        File = file;
        Position = position;
        Length = length;
    }

    /// <summary>The open file, for asynchronous sends (socket send-packets needs it opened for asynchronous I/O).</summary>
    public FileStream File { get; }

    /// <summary>The first byte's position in the file.</summary>
    public long Position { get; }

    /// <summary>The number of bytes.</summary>
    public int Length { get; }

    /// <summary>The region of <paramref name="path"/>, or null when the file cannot be opened (deleted meanwhile).</summary>
    public static FileRegion? TryOpen(string path, long position, int length)
    {
        try
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0, FileOptions.Asynchronous);
            return new FileRegion(file, position, length);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public override Span<byte> GetSpan()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_read is null)
        {
            var bytes = GC.AllocateUninitializedArray<byte>(Length);
            var total = 0;
            while (total < Length)
            {
                var read = RandomAccess.Read(File.SafeFileHandle, bytes.AsSpan(total), Position + total);
                if (read == 0)
                {
                    throw new IOException($"'{File.Name}' ends before the {Length} bytes at {Position}.");
                }
                total += read;
            }
            _read = bytes;
        }
        return _read;
    }

    public override MemoryHandle Pin(int elementIndex = 0)
    {
        GetSpan();
        return _read.AsMemory(elementIndex).Pin();
    }

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (!_disposed)
        {
            _disposed = true;
            File.Dispose();
        }
    }
}
