namespace Orlog.Log.Storage;

/// <summary>
/// A file read and written at explicit positions (pread/pwrite). Safe for one writer and many
/// concurrent readers.
/// </summary>
public interface ILogFile : IDisposable
{
    string Path { get; }

    /// <summary>The file's length on disk.</summary>
    long Length { get; }

    /// <summary>Writes all of <paramref name="data"/> at <paramref name="position"/>, or throws.</summary>
    void Write(long position, ReadOnlySpan<byte> data);

    /// <summary>Reads up to <c>buffer.Length</c> bytes at <paramref name="position"/>; returns the count read (0 at the end).</summary>
    int Read(long position, Span<byte> buffer);

    /// <summary>Forces written data to stable storage (fsync).</summary>
    void Flush();

    void SetLength(long length);
}
