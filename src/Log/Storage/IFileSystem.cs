namespace Orlog.Log.Storage;

/// <summary>
/// The engine's only way to the disk. Tests swap in a faulty implementation to inject failed writes,
/// failed fsyncs, short writes and a full disk.
/// </summary>
public interface IFileSystem
{
    /// <summary>Opens a file for reading and writing, creating it when <paramref name="create"/> is set.</summary>
    ILogFile Open(string path, bool create);

    bool FileExists(string path);

    bool DirectoryExists(string path);

    void CreateDirectory(string path);

    /// <summary>The names (not paths) of the files in a directory.</summary>
    IReadOnlyList<string> ListFiles(string directory);

    void Delete(string path);

    /// <summary>Renames a file, replacing the target. Atomic on the same file system.</summary>
    void Move(string source, string destination);

    /// <summary>Makes file creations, renames and deletions in a directory durable (fsync of the directory).</summary>
    void SyncDirectory(string directory);

    void DeleteDirectory(string directory);
}
