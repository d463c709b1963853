using Orlog.Log.Storage;

namespace Orlog.Grains.Storage;

/// <summary>
/// Crash-safe file replacement: the new content goes to <c>&lt;path&gt;.tmp</c>, is fsynced, renamed over
/// the target and the directory is fsynced, so after a crash the target holds either the old or the new
/// content, never a torn mix. A leftover <c>.tmp</c> from a crash is simply overwritten by the next write.
/// </summary>
internal static class AtomicFile
{
    public const string TempSuffix = ".tmp";

    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/>; its directory must exist.</summary>
    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        var directory = Path.GetDirectoryName(path) ?? throw new ArgumentException($"'{path}' has no directory.", nameof(path));
        var temp = path + TempSuffix;
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        PhysicalFileSystem.Instance.SyncDirectory(directory);
    }

    /// <summary>Deletes <paramref name="path"/> durably; returns false when it did not exist.</summary>
    public static bool Delete(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }
        File.Delete(path);
        PhysicalFileSystem.Instance.SyncDirectory(Path.GetDirectoryName(path)!);
        return true;
    }

    /// <summary>Reads the whole file, or returns null when it does not exist.</summary>
    public static byte[]? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Creates <paramref name="directory"/> and any missing parents, fsyncing each new directory's parent
    /// so that the new entries survive a power loss.
    /// </summary>
    public static void EnsureDirectory(string directory)
    {
        directory = Path.GetFullPath(directory);
        if (Directory.Exists(directory))
        {
            return;
        }
        var parent = Path.GetDirectoryName(directory);
        if (parent is not null)
        {
            EnsureDirectory(parent);
        }
        Directory.CreateDirectory(directory);
        if (parent is not null)
        {
            PhysicalFileSystem.Instance.SyncDirectory(parent);
        }
    }
}
