using Microsoft.Extensions.Options;
using Orlog.Grains.Hosting;

namespace Orlog.Silo.ClusterDb;

/// <summary>
/// The step before a cluster-mode silo starts Orleans: log the effective cluster settings (never the
/// password) and prepare the database (<see cref="ClusterDatabase"/>). Done before the host starts, so
/// that an unreachable or refused database ends the process with one clear line and exit code 1.
/// </summary>
public static partial class ClusterDatabaseStartup
{
    /// <summary>Prepares the cluster database when <paramref name="services"/> are in cluster mode; otherwise does nothing.</summary>
    public static async Task PrepareAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.GetService<IOptions<ClusterDbOptions>>()?.Value;
        if (options is null || !ClusterDbOptions.IsClusterMode(options))
        {
            return;
        }
        var clusterId = services.GetRequiredService<IOptions<BrokerOptions>>().Value.ClusterId;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ClusterDatabase));
        var database = new ClusterDatabase(options.ClusterDb!, logger);
        var m = options.Membership;
        LogClusterMode(logger, clusterId, database.Description, m.ProbeTimeoutMs, m.EffectiveMaxProbeTimeoutMs(), m.MissedProbesLimit, m.VotesForDeath, m.DeathVoteExpirationMs, m.IAmAlivePeriodMs, m.TableRefreshPeriodMs);
        await database.PrepareAsync(clusterId, cancellationToken);
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Cluster mode: cluster {ClusterId}, database {Database}; membership probe timeout {ProbeTimeoutMs} ms (at most {MaxProbeTimeoutMs} ms), missed probes limit {MissedProbesLimit}, votes for death {VotesForDeath}, vote expiration {DeathVoteExpirationMs} ms, I-am-alive period {IAmAlivePeriodMs} ms, table refresh period {TableRefreshPeriodMs} ms")]
    private static partial void LogClusterMode(ILogger logger, string clusterId, string database, int probeTimeoutMs, int maxProbeTimeoutMs, int missedProbesLimit, int votesForDeath, int deathVoteExpirationMs, int iAmAlivePeriodMs, int tableRefreshPeriodMs);
}
