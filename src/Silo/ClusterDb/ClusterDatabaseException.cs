namespace Orlog.Silo.ClusterDb;

/// <summary>
/// The cluster database cannot be used: unreachable, of another cluster, of a newer schema, or not empty
/// when it should be. The message is for the operator and names the database (never its password).
/// </summary>
public sealed class ClusterDatabaseException : Exception
{
    public ClusterDatabaseException()
    {
    }

    public ClusterDatabaseException(string message)
        : base(message)
    {
    }

    public ClusterDatabaseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
