using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Orlog.Silo.ClusterDb;

/// <summary>
/// Prepares the cluster database: an empty database gets Orlog's schema (schema.sql, the tables and
/// queries Orleans' ADO.NET providers use) and a record of the cluster id and schema version; a database
/// already prepared for this cluster and this schema version is left as it is. Refused, with nothing
/// changed: a database of another cluster, one of a newer schema version than this build knows, and one
/// that holds some of these tables without Orlog's record. Everything happens in one transaction under
/// an advisory lock, so brokers that start together against an empty database create the schema once.
/// </summary>
public sealed partial class ClusterDatabase(string connectionString, ILogger? logger = null)
{
    /// <summary>The schema version this build creates and understands.</summary>
    public const int SchemaVersion = 1;

    /// <summary>The tables schema.sql creates; any of them without <c>orlog_cluster</c> means a foreign database.</summary>
    internal static readonly string[] Tables = ["orleansquery", "orlog_membership_version", "orlog_membership", "orlog_grain_state", "orlog_cluster"];

    // pg_advisory_xact_lock key: "Orlog" in ASCII.
    private const long SetupLock = 0x4F726C6F67;

    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>Where the database is, for messages: host, port, database, user.</summary>
    public string Description { get; } = ClusterDbConnection.Describe(connectionString);

    /// <summary>Creates the schema for <paramref name="clusterId"/> or checks the one there; returns what it did.</summary>
    /// <exception cref="ClusterDatabaseException">The database is unreachable or refused.</exception>
    public async Task<ClusterDatabaseOutcome> PrepareAsync(string clusterId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        await using var connection = await OpenAsync(cancellationToken);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
            {
                lockCommand.Parameters.AddWithValue("key", SetupLock);
                await lockCommand.ExecuteNonQueryAsync(cancellationToken);
            }
            var record = await ReadRecordAsync(connection, transaction, cancellationToken);
            if (record is null)
            {
                await CreateAsync(connection, transaction, clusterId, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                LogCreated(_logger, Description, clusterId, SchemaVersion);
                return ClusterDatabaseOutcome.Created;
            }
            Check(record.Value, clusterId);
            LogCurrent(_logger, Description, clusterId, SchemaVersion);
            return ClusterDatabaseOutcome.AlreadyCurrent;
        }
        catch (PostgresException e)
        {
            throw new ClusterDatabaseException($"the cluster database ({Description}) failed while preparing its schema: {e.SqlState} {e.MessageText}", e);
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
        {
            await connection.DisposeAsync();
            throw new ClusterDatabaseException($"cannot reach the cluster database ({Description}): {Reason(e)}", e);
        }
    }

    private void Check((string ClusterId, int SchemaVersion) record, string clusterId)
    {
        if (!string.Equals(record.ClusterId, clusterId, StringComparison.Ordinal))
        {
            throw new ClusterDatabaseException(
                $"the cluster database ({Description}) belongs to cluster '{record.ClusterId}', not to this broker's cluster '{clusterId}' (Orlog:ClusterId); use that cluster id or another database.");
        }
        if (record.SchemaVersion > SchemaVersion)
        {
            throw new ClusterDatabaseException(
                $"the cluster database ({Description}) has schema version {record.SchemaVersion}, newer than the version {SchemaVersion} this build knows; run a newer Orlog.");
        }
        if (record.SchemaVersion < SchemaVersion)
        {
            // Version 1 is the first; a later build adds its upgrade here.
            throw new ClusterDatabaseException(
                $"the cluster database ({Description}) has schema version {record.SchemaVersion}, which this build (version {SchemaVersion}) cannot upgrade.");
        }
    }

    private static async Task<(string ClusterId, int SchemaVersion)?> ReadRecordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('orlog_cluster') IS NOT NULL", connection, transaction))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                return null;
            }
        }
        await using var read = new NpgsqlCommand("SELECT cluster_id, schema_version FROM orlog_cluster", connection, transaction);
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return (reader.GetString(0), reader.GetInt32(1));
    }

    private async Task CreateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string clusterId, CancellationToken cancellationToken)
    {
        var present = new List<string>();
        foreach (var table in Tables)
        {
            await using var exists = new NpgsqlCommand("SELECT to_regclass(@name) IS NOT NULL", connection, transaction);
            exists.Parameters.AddWithValue("name", table);
            if ((bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                present.Add(table);
            }
        }
        if (present.Count > 0)
        {
            throw new ClusterDatabaseException(
                $"the cluster database ({Description}) is not empty: it has {string.Join(", ", present)} but no Orlog cluster record; give Orlog an empty database.");
        }
        await using (var schema = new NpgsqlCommand(ReadScript("schema.sql"), connection, transaction))
        {
            await schema.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var record = new NpgsqlCommand(
            "INSERT INTO orlog_cluster (cluster_id, schema_version) VALUES (@cluster, @version) ON CONFLICT (singleton) DO UPDATE SET cluster_id = excluded.cluster_id, schema_version = excluded.schema_version, upgraded_at = now()",
            connection, transaction);
        record.Parameters.AddWithValue("cluster", clusterId);
        record.Parameters.AddWithValue("version", SchemaVersion);
        await record.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static string ReadScript(string name)
    {
        using var stream = typeof(ClusterDatabase).Assembly.GetManifestResourceStream("Orlog.Silo.ClusterDb." + name)
            ?? throw new InvalidOperationException($"The embedded resource ClusterDb/{name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string Reason(Exception exception)
    {
        var innermost = exception;
        while (innermost.InnerException is { } inner)
        {
            innermost = inner;
        }
        return innermost is PostgresException postgres ? postgres.MessageText : innermost.Message;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Cluster database ({Database}): schema version {SchemaVersion} created for cluster {ClusterId}")]
    private static partial void LogCreated(ILogger logger, string database, string clusterId, int schemaVersion);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Cluster database ({Database}): cluster {ClusterId}, schema version {SchemaVersion}, nothing to change")]
    private static partial void LogCurrent(ILogger logger, string database, string clusterId, int schemaVersion);
}
