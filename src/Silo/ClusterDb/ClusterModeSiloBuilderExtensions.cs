using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orlog.Grains.Hosting;

namespace Orlog.Silo.ClusterDb;

/// <summary>Cluster mode: Orleans membership and the default grain storage in the PostgreSQL cluster database.</summary>
public static class ClusterModeSiloBuilderExtensions
{
    /// <summary>Whether <paramref name="configuration"/> sets <c>Orlog:ClusterDb</c>.</summary>
    public static bool IsClusterMode(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration?[$"{BrokerOptions.SectionName}:{nameof(ClusterDbOptions.ClusterDb)}"]);

    /// <summary>
    /// Adds <see cref="ClusterDbOptions"/> (validated at start) and, when they set a database, ADO.NET
    /// clustering and the ADO.NET default grain storage on it (invariant Npgsql) with Orlog's membership
    /// timings. The schema is prepared before the host starts: <see cref="ClusterDatabaseStartup"/>.
    /// </summary>
    public static ISiloBuilder AddOrlogClusterMode(this ISiloBuilder silo, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(configuration);
        silo.Services.AddOptions<ClusterDbOptions>().Bind(configuration.GetSection(BrokerOptions.SectionName)).ValidateOnStart();
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterDbOptions>, ClusterDbOptionsValidator>());
        if (!IsClusterMode(configuration))
        {
            return silo;
        }
        var connectionString = configuration[$"{BrokerOptions.SectionName}:{nameof(ClusterDbOptions.ClusterDb)}"]!;
        silo.UseAdoNetClustering(options =>
        {
            options.Invariant = ClusterDbConnection.Invariant;
            options.ConnectionString = connectionString;
        });
        silo.AddAdoNetGrainStorageAsDefault(options =>
        {
            options.Invariant = ClusterDbConnection.Invariant;
            options.ConnectionString = connectionString;
            options.GrainStorageSerializer = new JsonGrainStateSerializer();
        });
        silo.Services.AddOptions<ClusterMembershipOptions>().Configure<IOptions<ClusterDbOptions>>(
            (membership, orlog) => orlog.Value.Membership.ApplyTo(membership));
        return silo;
    }
}
