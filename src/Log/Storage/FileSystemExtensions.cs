namespace Orlog.Log.Storage;

/// <summary>Small-file helpers shared by the checkpoint and snapshot files.</summary>
public static class FileSystemExtensions
{
    /// <summary>
    /// Replaces a small file so that a crash leaves either the old or the new content, never a mix:
    /// write a temporary file, fsync it, rename it over the target, fsync the directory.
    /// </summary>
    public static void WriteAtomically(this IFileSystem fileSystem, string path, ReadOnlySpan<byte> content)
    {
        var temporary = path + ".tmp";
        using (var file = fileSystem.Open(temporary, create: true))
        {
            file.SetLength(0);
            file.Write(0, content);
            file.Flush();
        }
        fileSystem.Move(temporary, path);
        fileSystem.SyncDirectory(System.IO.Path.GetDirectoryName(path)!);
    }

    /// <summary>Reads a whole small file, or returns null when it does not exist.</summary>
    public static byte[]? ReadAllBytesOrNull(this IFileSystem fileSystem, string path)
    {
        if (!fileSystem.FileExists(path))
        {
            return null;
        }
        using var file = fileSystem.Open(path, create: false);
        var content = new byte[file.Length];
        var read = file.Read(0, content);
        return read == content.Length ? content : content[..read];
    }
}
