using Microsoft.Win32.SafeHandles;

namespace Orlog.Log.Storage;

/// <summary>A file on the real disk, read and written with positional I/O.</summary>
public sealed class PhysicalLogFile : ILogFile
{
    private readonly SafeFileHandle _handle;

    public PhysicalLogFile(string path, bool create)
    {
        Path = path;
        _handle = File.OpenHandle(path, create ? FileMode.OpenOrCreate : FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
    }

    public string Path { get; }

    public long Length => RandomAccess.GetLength(_handle);

    public void Write(long position, ReadOnlySpan<byte> data) => RandomAccess.Write(_handle, data, position);

    public int Read(long position, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = RandomAccess.Read(_handle, buffer[total..], position + total);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        return total;
    }

    public void Flush() => RandomAccess.FlushToDisk(_handle);

    public void SetLength(long length) => RandomAccess.SetLength(_handle, length);

    public void Dispose() => _handle.Dispose();
}
