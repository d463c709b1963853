using System.Globalization;
using System.Text;

namespace Orlog.Grains.Storage;

/// <summary>
/// The <c>.lock</c> file of a data directory, held with an exclusive OS lock for as long as this object
/// lives. On Linux and macOS .NET opens a file with <see cref="FileShare.None"/> by taking
/// <c>flock(LOCK_EX | LOCK_NB)</c> on it (checked with strace on .NET 10: a second open fails with
/// EAGAIN, reported as an <see cref="IOException"/> whose HResult is the errno), and the kernel releases
/// it when the process ends, also by SIGKILL; on Windows the share mode does the same. The lock is per
/// open file, so a second open in the same process is refused too. The file holds the owner's process
/// id, for people; it is never deleted.
/// </summary>
internal sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = ".lock";

    private readonly FileStream _stream;

    private DataDirectoryLock(FileStream stream) => _stream = stream;

    /// <summary>The lock file's path.</summary>
    public string Path => _stream.Name;

    /// <summary>Takes the lock, or returns null when another process (or another open in this one) holds it.</summary>
    public static DataDirectoryLock? TryAcquire(string directory)
    {
        if (FileLockingDisabled())
        {
            throw new IOException(
                "File locking is disabled for this process (DOTNET_SYSTEM_IO_DISABLEFILELOCKING or System.IO.DisableFileLocking), " +
                $"so the data directory '{directory}' cannot be protected from a second silo. Unset it.");
        }
        var path = System.IO.Path.Combine(directory, FileName);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        }
        catch (IOException e) when (IsSharingViolation(e))
        {
            return null;
        }
        try
        {
            stream.SetLength(0);
            stream.Write(Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"));
        }
        catch
        {
            stream.Dispose();
            throw;
        }
        return new DataDirectoryLock(stream);
    }

    /// <summary>Releases the lock (the file stays, as Kafka's does).</summary>
    public void Dispose() => _stream.Dispose();

    private static bool IsSharingViolation(IOException e)
    {
        if (OperatingSystem.IsWindows())
        {
            // ERROR_SHARING_VIOLATION (32) or ERROR_LOCK_VIOLATION (33).
            return (e.HResult & 0xFFFF) is 32 or 33;
        }
        // On Unix the HResult is flock's errno: EWOULDBLOCK, which is 11 on Linux and 35 on the BSDs and macOS.
        return e.HResult == (OperatingSystem.IsLinux() ? 11 : 35);
    }

    private static bool FileLockingDisabled()
    {
        if (AppContext.TryGetSwitch("System.IO.DisableFileLocking", out var disabled) && disabled)
        {
            return true;
        }
        var variable = Environment.GetEnvironmentVariable("DOTNET_SYSTEM_IO_DISABLEFILELOCKING");
        return variable is not null && (variable == "1" || variable.Equals("true", StringComparison.OrdinalIgnoreCase));
    }
}
