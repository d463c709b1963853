using Npgsql;
using Orlog.Silo.ClusterDb;

namespace Orlog.Silo.Tests.ClusterDb;

/// <summary>Preparing the cluster database: the schema on an empty database, and the refusals, against a real PostgreSQL.</summary>
[Collection(ClusterDbCollection.Name)]
public sealed class ClusterDatabaseTests(PostgresFixture postgres)
{
    // Every key Orleans 10.4.2's ADO.NET clustering and persistence providers read from OrleansQuery.
    private static readonly string[] _queryKeys =
    [
        "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey", "ClearStorageKey", "DeleteMembershipTableEntriesKey",
        "DeleteStorageKey", "GatewaysQueryKey", "InsertMembershipKey", "InsertMembershipVersionKey", "MembershipReadAllKey",
        "MembershipReadRowKey", "ReadFromStorageKey", "UpdateIAmAlivetimeKey", "UpdateMembershipKey", "WriteToStorageKey",
    ];

    [Fact]
    public async Task Schema_applies_to_an_empty_database_and_applying_again_changes_nothing()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        var database = new ClusterDatabase(connectionString);

        Assert.Equal(ClusterDatabaseOutcome.Created, await database.PrepareAsync("alpha"));
        var created = await SnapshotAsync(connectionString);
        Assert.Equal(_queryKeys, await QueryKeysAsync(connectionString));
        Assert.Contains("cluster alpha version 1", created, StringComparison.Ordinal);

        Assert.Equal(ClusterDatabaseOutcome.AlreadyCurrent, await database.PrepareAsync("alpha"));
        Assert.Equal(created, await SnapshotAsync(connectionString));
    }

    [Fact]
    public async Task A_database_of_another_cluster_is_refused_naming_both_and_left_unchanged()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        await new ClusterDatabase(connectionString).PrepareAsync("alpha");
        var before = await SnapshotAsync(connectionString);

        var refused = await Assert.ThrowsAsync<ClusterDatabaseException>(() => new ClusterDatabase(connectionString).PrepareAsync("beta"));

        Assert.Contains("belongs to cluster 'alpha', not to this broker's cluster 'beta'", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(connectionString));
    }

    [Fact]
    public async Task A_newer_schema_version_is_refused_naming_both_versions()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        await new ClusterDatabase(connectionString).PrepareAsync("alpha");
        await ExecuteAsync(connectionString, "UPDATE orlog_cluster SET schema_version = 7");
        var before = await SnapshotAsync(connectionString);

        var refused = await Assert.ThrowsAsync<ClusterDatabaseException>(() => new ClusterDatabase(connectionString).PrepareAsync("alpha"));

        Assert.Contains($"schema version 7, newer than the version {ClusterDatabase.SchemaVersion} this build knows", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(connectionString));
    }

    [Fact]
    public async Task A_database_with_Orleans_tables_but_no_Orlog_record_is_refused()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        await ExecuteAsync(connectionString, "CREATE TABLE OrleansQuery (QueryKey varchar(64) PRIMARY KEY, QueryText text NOT NULL)");

        var refused = await Assert.ThrowsAsync<ClusterDatabaseException>(() => new ClusterDatabase(connectionString).PrepareAsync("alpha"));

        Assert.Contains("is not empty: it has orleansquery but no Orlog cluster record", refused.Message, StringComparison.Ordinal);
        Assert.Equal(["orleansquery"], await TablesAsync(connectionString));
    }

    [Fact]
    public async Task An_unreachable_database_is_reported_with_its_host_port_and_database()
    {
        var closedPort = FreePorts.Take(1)[0];
        var connectionString = $"Host=127.0.0.1;Port={closedPort};Database=orlog;Username=orlog;Password=secret-pw;Timeout=5";

        var refused = await Assert.ThrowsAsync<ClusterDatabaseException>(() => new ClusterDatabase(connectionString).PrepareAsync("alpha"));

        Assert.StartsWith($"cannot reach the cluster database (host 127.0.0.1, port {closedPort}, database orlog, user orlog): ", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-pw", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>Everything the schema consists of: tables with their columns, function bodies, stored queries and Orlog's record.</summary>
    internal static async Task<string> SnapshotAsync(string connectionString)
    {
        const string Sql = """
            SELECT string_agg(line, E'\n' ORDER BY line) FROM (
                SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type AS line
                  FROM information_schema.columns WHERE table_schema = current_schema()
                UNION ALL
                SELECT 'function ' || p.proname || ' ' || md5(p.prosrc)
                  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema()
                UNION ALL
                SELECT 'query ' || QueryKey || ' ' || md5(QueryText) FROM OrleansQuery
                UNION ALL
                SELECT 'cluster ' || cluster_id || ' version ' || schema_version || ' ' || created_at || ' ' || upgraded_at FROM orlog_cluster
            ) lines
            """;
        return await ScalarAsync<string>(connectionString, Sql);
    }

    private static async Task<string[]> QueryKeysAsync(string connectionString) =>
        (await ScalarAsync<string>(connectionString, "SELECT string_agg(QueryKey, ',' ORDER BY QueryKey COLLATE \"C\") FROM OrleansQuery")).Split(',');

    private static async Task<string[]> TablesAsync(string connectionString) =>
        (await ScalarAsync<string>(connectionString, "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = current_schema()")).Split(',');

    internal static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    internal static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
