namespace Orlog.Client;

/// <summary>
/// The client could not reach the cluster (no gateway of bootstrap.servers answered within
/// socket.connection.setup.timeout.ms). The CLI exits with code 3 on it.
/// </summary>
public sealed class ClusterUnreachableException : KafkaException
{
    /// <summary>A failed connection attempt.</summary>
    public ClusterUnreachableException(string detail, Exception? innerException = null)
        : base(ErrorCode.NetworkException, detail, innerException!)
    {
    }
}
