using Orlog.Grains.Hosting;

namespace Orlog.Silo.ClusterDb;

/// <summary>
/// <c>Orlog.Silo setup --cluster-db CONNECTION-STRING [--cluster-id ID]</c>: prepares the cluster database
/// (<see cref="ClusterDatabase"/>) and exits, 0 when the database is ready for the cluster, 1 when it is
/// unreachable or refused, 2 on a usage error. The settings may also come from appsettings.json and
/// <c>Orlog__ClusterDb</c> / <c>Orlog__ClusterId</c>, as for the silo.
/// </summary>
public static class ClusterDbSetupCommand
{
    /// <summary>The subcommand's name, the first argument.</summary>
    public const string Name = "setup";

    /// <summary>The usage text of <c>setup --help</c>.</summary>
    public const string Usage = """
        Usage: Orlog.Silo setup --cluster-db CONNECTION-STRING [--cluster-id ID]

        Prepares a PostgreSQL database for an Orlog cluster: an empty database gets Orlog's schema, a
        database already prepared for this cluster is left as it is. Refuses a database of another cluster
        or of a newer schema version. A silo started with --cluster-db does the same at start.

          --cluster-db CONN   Npgsql connection string (Orlog:ClusterDb), e.g.
                              Host=127.0.0.1;Port=5432;Database=orlog;Username=orlog
          --cluster-id ID     the cluster's id (Orlog:ClusterId)              default orlog

        Exit codes: 0 ready; 1 unreachable or refused; 2 bad setting or usage.
        """;

    private static readonly Dictionary<string, string> _switches = new(StringComparer.OrdinalIgnoreCase)
    {
        ["--cluster-db"] = $"{BrokerOptions.SectionName}:{nameof(ClusterDbOptions.ClusterDb)}",
        ["--cluster-id"] = $"{BrokerOptions.SectionName}:{nameof(BrokerOptions.ClusterId)}",
    };

    /// <summary>Runs the subcommand with the arguments after <c>setup</c>; returns the exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Any(arg => arg is "-h" or "--help" or "-?"))
        {
            await output.WriteLineAsync(Usage);
            return 0;
        }
        var commandLine = SiloCommandLine.Parse(args);
        // The parsed arguments come in name, value pairs; only the two switches and --Section:Key are for setup.
        var unknown = commandLine.ConfigurationArgs.Where((arg, i) => i % 2 == 0 && !_switches.ContainsKey(arg) && !arg.Contains(':', StringComparison.Ordinal)).ToList();
        if (commandLine.Error is not null || unknown.Count > 0)
        {
            await error.WriteLineAsync("orlog-silo setup: " + (commandLine.Error ?? $"Unknown option '{unknown[0]}'. Run 'setup --help' for the options."));
            return StartupFailure.BadSetting;
        }
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine([.. commandLine.ConfigurationArgs], _switches)
            .Build();
        var orlog = configuration.GetSection(BrokerOptions.SectionName);
        var connectionString = orlog[nameof(ClusterDbOptions.ClusterDb)];
        var clusterId = orlog[nameof(BrokerOptions.ClusterId)];
        if (string.IsNullOrWhiteSpace(connectionString) || ClusterDbConnection.Check(connectionString) is not null)
        {
            var problem = string.IsNullOrWhiteSpace(connectionString) ? "is required (--cluster-db CONNECTION-STRING)." : ClusterDbConnection.Check(connectionString);
            await error.WriteLineAsync($"orlog-silo setup: bad setting: Orlog:ClusterDb {problem}");
            return StartupFailure.BadSetting;
        }
        if (string.IsNullOrWhiteSpace(clusterId))
        {
            await error.WriteLineAsync("orlog-silo setup: bad setting: Orlog:ClusterId must not be empty.");
            return StartupFailure.BadSetting;
        }
        try
        {
            var database = new ClusterDatabase(connectionString);
            var outcome = await database.PrepareAsync(clusterId);
            await output.WriteLineAsync(outcome == ClusterDatabaseOutcome.Created
                ? $"orlog-silo setup: created schema version {ClusterDatabase.SchemaVersion} for cluster '{clusterId}' in the cluster database ({database.Description})."
                : $"orlog-silo setup: the cluster database ({database.Description}) is ready for cluster '{clusterId}' (schema version {ClusterDatabase.SchemaVersion}); nothing changed.");
            return 0;
        }
        catch (ClusterDatabaseException e)
        {
            await error.WriteLineAsync("orlog-silo setup: " + e.Message);
            return StartupFailure.Failed;
        }
    }
}
