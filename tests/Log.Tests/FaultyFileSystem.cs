using Orlog.Log.Storage;

namespace Orlog.Log.Tests;

/// <summary>
/// The real disk with faults on demand: failed writes, failed fsyncs, short writes and a full disk, on
/// the files whose name ends with <see cref="Suffix"/> (segments by default). Counts fsyncs.
/// </summary>
internal sealed class FaultyFileSystem : IFileSystem
{
    private readonly IFileSystem _inner = PhysicalFileSystem.Instance;
    private int _fsyncs;

    public string Suffix { get; set; } = LogFileNames.LogSuffix;

    public bool FailWrites { get; set; }

    public bool FailFsync { get; set; }

    /// <summary>When set, the next matching write stores only this many bytes and then fails.</summary>
    public int? ShortWriteBytes { get; set; }

    /// <summary>When set, writes that would take matching files past this many bytes in total fail with ENOSPC.</summary>
    public long? DiskCapacityBytes { get; set; }

    public int FsyncCount => Volatile.Read(ref _fsyncs);

    /// <summary>When set, an fsync of a matching file signals <see cref="FsyncEntered"/> and waits for this gate.</summary>
    public ManualResetEventSlim? FsyncGate { get; set; }

    public ManualResetEventSlim FsyncEntered { get; } = new();

    public long BytesWritten;

    public ILogFile Open(string path, bool create) => new FaultyFile(this, _inner.Open(path, create));

    public bool FileExists(string path) => _inner.FileExists(path);

    public bool DirectoryExists(string path) => _inner.DirectoryExists(path);

    public void CreateDirectory(string path) => _inner.CreateDirectory(path);

    public IReadOnlyList<string> ListFiles(string directory) => _inner.ListFiles(directory);

    public void Delete(string path) => _inner.Delete(path);

    public void Move(string source, string destination) => _inner.Move(source, destination);

    public void SyncDirectory(string directory) => _inner.SyncDirectory(directory);

    public void DeleteDirectory(string directory) => _inner.DeleteDirectory(directory);

    private bool Matches(string path) => path.EndsWith(Suffix, StringComparison.Ordinal);

    private sealed class FaultyFile(FaultyFileSystem owner, ILogFile inner) : ILogFile
    {
        public string Path => inner.Path;

        public long Length => inner.Length;

        public void Write(long position, ReadOnlySpan<byte> data)
        {
            if (owner.Matches(Path))
            {
                if (owner.FailWrites)
                {
                    throw new IOException("Input/output error (injected write failure)");
                }
                if (owner.ShortWriteBytes is { } written)
                {
                    owner.ShortWriteBytes = null;
                    inner.Write(position, data[..Math.Min(written, data.Length)]);
                    throw new IOException("Input/output error (injected short write)");
                }
                if (owner.DiskCapacityBytes is { } capacity && Interlocked.Read(ref owner.BytesWritten) + data.Length > capacity)
                {
                    throw new IOException("No space left on device (injected)", 28);
                }
                Interlocked.Add(ref owner.BytesWritten, data.Length);
            }
            inner.Write(position, data);
        }

        public int Read(long position, Span<byte> buffer) => inner.Read(position, buffer);

        public void Flush()
        {
            if (owner.Matches(Path))
            {
                if (owner.FailFsync)
                {
                    throw new IOException("Input/output error (injected fsync failure)");
                }
                Interlocked.Increment(ref owner._fsyncs);
                if (owner.FsyncGate is { } gate)
                {
                    owner.FsyncEntered.Set();
                    gate.Wait(TimeSpan.FromSeconds(30));
                }
            }
            inner.Flush();
        }

        public void SetLength(long length) => inner.SetLength(length);

        public void Dispose() => inner.Dispose();
    }
}
