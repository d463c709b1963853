using Orlog.Grains.Storage;

namespace Orlog.Grains.Hosting;

/// <summary>
/// A broker's data directory, opened for this process: the directory exists, its <c>.lock</c> is held
/// with an OS file lock (flock on Linux) until <see cref="Dispose"/> or the end of the process (a crash
/// or SIGKILL releases it too), and its <c>meta.properties</c> (Kafka's format: <c>version=1</c>,
/// <c>broker.id</c>, <c>cluster.id</c>) matches this broker: written crash-safely at the first start,
/// compared at every later one.
/// </summary>
public sealed class BrokerDataDirectory : IDisposable
{
    /// <summary>The subdirectory that holds the metadata the embedded default persists.</summary>
    public const string MetadataDirectoryName = "metadata";

    private readonly DataDirectoryLock _lock;

    private BrokerDataDirectory(string path, int brokerId, string clusterId, bool isNew, DataDirectoryLock directoryLock)
    {
        Path = path;
        BrokerId = brokerId;
        ClusterId = clusterId;
        IsNew = isNew;
        _lock = directoryLock;
    }

    /// <summary>The directory's absolute path.</summary>
    public string Path { get; }

    /// <summary>The broker id recorded in meta.properties.</summary>
    public int BrokerId { get; }

    /// <summary>The cluster id recorded in meta.properties.</summary>
    public string ClusterId { get; }

    /// <summary>True when this open wrote meta.properties (the broker's first start on this directory).</summary>
    public bool IsNew { get; }

    /// <summary><c>&lt;data-dir&gt;/metadata</c>.</summary>
    public string MetadataDirectory => System.IO.Path.Combine(Path, MetadataDirectoryName);

    /// <summary>
    /// Opens <paramref name="path"/> for broker <paramref name="brokerId"/> of cluster <paramref name="clusterId"/>.
    /// </summary>
    /// <exception cref="BrokerDataDirectoryException">
    /// The directory cannot be created, another process holds its lock, or its meta.properties names
    /// another broker or cluster or is damaged. The message names the directory and the values.
    /// </exception>
    public static BrokerDataDirectory Open(string path, int brokerId, string clusterId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfNegative(brokerId);
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        var directory = System.IO.Path.GetFullPath(path);
        if (File.Exists(directory))
        {
            throw new BrokerDataDirectoryException(directory, $"The data directory '{directory}' is a file, not a directory.");
        }
        DataDirectoryLock? directoryLock;
        try
        {
            AtomicFile.EnsureDirectory(directory);
            directoryLock = DataDirectoryLock.TryAcquire(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BrokerDataDirectoryException(directory, $"Cannot open the data directory '{directory}': {e.Message}", e);
        }
        if (directoryLock is null)
        {
            throw new BrokerDataDirectoryException(
                directory,
                $"The data directory '{directory}' is in use by another Orlog silo: its lock file '{System.IO.Path.Combine(directory, DataDirectoryLock.FileName)}' " +
                "is held. Stop that silo first, or give this one its own data directory (--data-dir).");
        }
        try
        {
            var isNew = CheckIdentity(directory, brokerId, clusterId);
            return new BrokerDataDirectory(directory, brokerId, clusterId, isNew, directoryLock);
        }
        catch
        {
            directoryLock.Dispose();
            throw;
        }
    }

    /// <summary>Releases the directory's lock.</summary>
    public void Dispose() => _lock.Dispose();

    private static bool CheckIdentity(string directory, int brokerId, string clusterId)
    {
        var path = System.IO.Path.Combine(directory, MetaProperties.FileName);
        MetaProperties? recorded;
        try
        {
            recorded = MetaProperties.Read(path);
            if (recorded is null)
            {
                new MetaProperties(brokerId, clusterId).Write(path);
                return true;
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new BrokerDataDirectoryException(directory, $"Cannot use the data directory '{directory}': {e.Message}", e);
        }
        if (recorded.BrokerId != brokerId || !string.Equals(recorded.ClusterId, clusterId, StringComparison.Ordinal))
        {
            throw new BrokerDataDirectoryException(
                directory,
                $"The data directory '{directory}' belongs to broker.id={recorded.BrokerId} of cluster.id={recorded.ClusterId} (its {MetaProperties.FileName}), " +
                $"but this silo is configured as broker.id={brokerId} of cluster.id={clusterId}. Point the silo at its own data directory " +
                "or configure the recorded broker id and cluster id (Orlog:BrokerId, Orlog:ClusterId).");
        }
        return false;
    }
}

/// <summary>A data directory that this broker must not use; the message says why and names the directory.</summary>
public sealed class BrokerDataDirectoryException : IOException
{
    /// <summary>Creates the exception.</summary>
    public BrokerDataDirectoryException(string directory, string message, Exception? innerException = null)
        : base(message, innerException) => Directory = directory;

    /// <summary>The data directory's absolute path.</summary>
    public string Directory { get; }
}
