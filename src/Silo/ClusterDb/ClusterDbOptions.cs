namespace Orlog.Silo.ClusterDb;

/// <summary>
/// Cluster mode's settings, bound from the "Orlog" section: the PostgreSQL database that holds Orleans
/// membership and the default grain storage, and the membership timings. Without <see cref="ClusterDb"/>
/// the silo is the embedded default (development clustering, the file storage) and neither applies.
/// </summary>
public sealed class ClusterDbOptions
{
    /// <summary>
    /// The cluster database's Npgsql connection string (<c>--cluster-db</c>, <c>Orlog:ClusterDb</c>,
    /// <c>Orlog__ClusterDb</c>), e.g. <c>Host=10.0.0.5;Port=5432;Database=orlog;Username=orlog;Password=...</c>.
    /// Never logged whole: see <see cref="ClusterDbConnection.Describe"/>.
    /// </summary>
    /// <value>null: the embedded default.</value>
    [Redact]
    public string? ClusterDb { get; set; }

    /// <summary>Failure detection in cluster mode (<c>Orlog:Membership:*</c>).</summary>
    public MembershipTimingOptions Membership { get; set; } = new();

    /// <summary>Whether <paramref name="options"/> turn cluster mode on.</summary>
    public static bool IsClusterMode(ClusterDbOptions options) => !string.IsNullOrWhiteSpace(options?.ClusterDb);
}
