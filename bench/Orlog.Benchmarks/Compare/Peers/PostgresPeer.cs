using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Orlog.Benchmarks.Streaming;

namespace Orlog.Benchmarks.Compare.Peers;

/// <summary>
/// PostgreSQL 15 as the reference line: the database a streaming buffer usually protects. A private server
/// (initdb once per start, run as user postgres on a free loopback port) with durability on (fsync=on,
/// synchronous_commit=on, full_page_writes on), tuned for bulk loads as PostgreSQL's "Populating a Database"
/// advice says: a large max_wal_size and checkpoint_timeout so no checkpoint runs during a load, wal_level=minimal
/// with no WAL senders (no replication here). A stream is a table; a write is a binary COPY, acknowledged by its commit
/// (on disk before the ack); a read is one streaming SELECT per consumer. No latency run: a database has no push
/// to a reader.
/// </summary>
internal sealed class PostgresPeer : IPeer
{
    private const string User = "postgres";

    // Settings passed on the postgres command line; each is documented in the report through Description.
    private static readonly string[] _settings =
    [
        "fsync=on",
        "synchronous_commit=on",
        "full_page_writes=on",
        "wal_level=minimal",
        "max_wal_senders=0",
        "max_wal_size=4GB",
        "checkpoint_timeout=30min",
        "wal_compression=off",
        "shared_buffers=512MB",
        "wal_buffers=16MB",
        "max_connections=50",
    ];

    private PeerEnvironment? _environment;
    private string? _dataDirectory;
    private ServerProcess? _server;
    private NpgsqlDataSource? _dataSource;

    public string Name => "PostgreSQL 15, COPY";

    public string AckPromise => "on disk before the ack";

    public string Description { get; private set; } = "PostgreSQL (not started)";

    /// <summary>The postmaster's PID (the process tree's root is runuser, which started it as user postgres).</summary>
    public int ServerProcessId { get; private set; }

    public bool Supports(WorkloadKind kind) => kind != WorkloadKind.Latency;

    public async Task StartAsync(PeerEnvironment environment, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The PostgreSQL peer runs its server as user postgres through runuser (Linux).");
        }
        _environment = environment;
        // postgres must reach its data directory: make the peer's directory traversable by others (it is ours, under /tmp).
        var parentMode = File.GetUnixFileMode(environment.Directory);
        File.SetUnixFileMode(environment.Directory, parentMode | UnixFileMode.OtherExecute | UnixFileMode.GroupExecute);
        _dataDirectory = Path.Combine(environment.Directory, "pgdata");
        Directory.CreateDirectory(_dataDirectory);
        await RunAsync("chown", [$"{User}:{User}", _dataDirectory], cancellationToken).ConfigureAwait(false);
        File.SetUnixFileMode(_dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        // --no-sync only skips syncing initdb's own catalog files; the server runs with fsync=on.
        await RunAsync(
            "runuser",
            ["-u", User, "--", "initdb", "-D", _dataDirectory, "-U", User, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"],
            cancellationToken).ConfigureAwait(false);

        var port = PeerEnvironment.FreePort();
        var arguments = new List<string>
        {
            "-D", _dataDirectory,
            "-p", port.ToString(CultureInfo.InvariantCulture),
            "-k", _dataDirectory,
            "-c", "listen_addresses=127.0.0.1",
        };
        foreach (var setting in _settings)
        {
            arguments.Add("-c");
            arguments.Add(setting);
        }
        _server = await ServerProcess.StartAsync("postgres", arguments, port, TimeSpan.FromSeconds(60), _dataDirectory, runAsUser: User).ConfigureAwait(false);
        ServerProcessId = ReadPostmasterPid();

        var connection = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = User,
            Database = "postgres",
            Pooling = true,
            MaxPoolSize = 40,
            // Durable writes can take a while on a slow disk; the benchmark's own token bounds the run.
            CommandTimeout = 0,
        };
        _dataSource = NpgsqlDataSource.Create(connection.ConnectionString);
        string serverVersion;
        await using (var command = _dataSource.CreateCommand("SHOW server_version"))
        {
            serverVersion = (string)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        var npgsql = typeof(NpgsqlConnection).Assembly.GetName().Version;
        Description = $"PostgreSQL {serverVersion}, Npgsql {npgsql?.ToString(3)}; {string.Join(", ", _settings)}; " +
            "a stream is a table (bytea key and value, int partition column); W2: one table LIST-partitioned into 12 by the key's partition, " +
            "10 concurrent binary COPYs into it, 3 readers each SELECTing 4 partitions; every COPY commits once at its end";
        environment.Log($"postgres {serverVersion} on 127.0.0.1:{port}, PID {ServerProcessId}, data in {_dataDirectory}");
    }

    public async Task<Rate> ProduceAsync(string stream, Workload workload, RecordGenerator records, CancellationToken cancellationToken)
    {
        var dataSource = Started();
        var table = Quote(stream);
        await CreateTableAsync(dataSource, table, workload.Partitions, cancellationToken).ConfigureAwait(false);

        // Connections are opened before the clock starts, as producers of the other peers connect before theirs.
        var connections = new NpgsqlConnection[workload.Producers];
        for (var i = 0; i < connections.Length; i++)
        {
            connections[i] = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        try
        {
            var watch = Stopwatch.StartNew();
            var copies = new Task<ulong>[workload.Producers];
            for (var producer = 0; producer < copies.Length; producer++)
            {
                var connection = connections[producer];
                copies[producer] = Task.Run(() => Copy(connection, table, workload, records, cancellationToken), cancellationToken);
            }
            var counts = await Task.WhenAll(copies).ConfigureAwait(false);
            watch.Stop();
            var written = counts.Aggregate(0UL, (sum, count) => sum + count);
            if (written != (ulong)workload.TotalRecords)
            {
                throw new InvalidOperationException($"PostgreSQL COPY into {stream} committed {written} rows, expected {workload.TotalRecords}.");
            }
            return new Rate(workload.TotalRecords, workload.TotalRecords * workload.RecordBytes, watch.Elapsed);
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public async Task<Rate> ConsumeAsync(string stream, Workload workload, CancellationToken cancellationToken)
    {
        var dataSource = Started();
        var table = Quote(stream);
        var consumers = Math.Max(1, Math.Min(workload.Consumers, workload.Partitions));
        var connections = new NpgsqlConnection[consumers];
        for (var i = 0; i < connections.Length; i++)
        {
            connections[i] = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        try
        {
            var watch = Stopwatch.StartNew();
            var reads = new Task<(long Rows, long Bytes)>[consumers];
            for (var consumer = 0; consumer < consumers; consumer++)
            {
                // Consumer c reads partitions c, c + consumers, ...: the group's assignment, round robin.
                var partitions = Enumerable.Range(0, workload.Partitions).Where(p => p % consumers == consumer).ToArray();
                var connection = connections[consumer];
                reads[consumer] = Task.Run(() => ReadAsync(connection, table, partitions, workload.RecordBytes, cancellationToken), cancellationToken);
            }
            var results = await Task.WhenAll(reads).ConfigureAwait(false);
            watch.Stop();
            var rows = results.Sum(r => r.Rows);
            var bytes = results.Sum(r => r.Bytes);
            if (rows != workload.TotalRecords)
            {
                throw new InvalidOperationException($"PostgreSQL read {rows} rows of {stream}, expected {workload.TotalRecords}.");
            }
            return new Rate(rows, bytes, watch.Elapsed);
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public Task<Latency> LatencyAsync(string stream, int ratePerSecond, TimeSpan duration, RecordGenerator records, CancellationToken cancellationToken) =>
        throw new NotSupportedException("PostgreSQL is a reference line for throughput only: a database pushes nothing to a reader.");

    public async ValueTask DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
            _dataSource = null;
        }
        if (_server is not null)
        {
            // SIGINT is PostgreSQL's fast shutdown (SIGTERM, what ServerProcess sends, is the smart one, which waits
            // for clients); sent to the postmaster itself, not to the runuser above it.
            if (ServerProcessId > 0)
            {
                await RunAsync("kill", ["-INT", ServerProcessId.ToString(CultureInfo.InvariantCulture)], CancellationToken.None, throwOnError: false).ConfigureAwait(false);
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
                // Gone from /proc once runuser, its parent, has reaped it; runuser then exits by itself.
                while (Directory.Exists($"/proc/{ServerProcessId}") && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(50).ConfigureAwait(false);
                }
            }
            await _server.DisposeAsync().ConfigureAwait(false);
            _server = null;
        }
        if (_dataDirectory is not null && Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private static ulong Copy(NpgsqlConnection connection, string table, Workload workload, RecordGenerator records, CancellationToken cancellationToken)
    {
        // Outside a transaction the COPY is its own: Complete commits it, and with synchronous_commit=on the commit
        // returns once its WAL is fsynced. The synchronous writer is Npgsql's fast path (each field is a buffer copy).
        using var importer = connection.BeginBinaryImport($"COPY {table} (p, k, v) FROM STDIN (FORMAT BINARY)");
        for (long i = 0; i < workload.RecordsPerProducer; i++)
        {
            if (i % 65_536 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            importer.StartRow();
            if (workload.Keyed)
            {
                importer.Write(PartitionOf(i, workload.Partitions), NpgsqlDbType.Integer);
                importer.Write(records.Key(i), NpgsqlDbType.Bytea);
            }
            else
            {
                // Unkeyed records go round robin over the partitions (a single partition in W1 and W3).
                importer.Write((int)(i % workload.Partitions), NpgsqlDbType.Integer);
                importer.WriteNull();
            }
            importer.Write(records.Value, NpgsqlDbType.Bytea);
        }
        return importer.Complete();
    }

    private static async Task<(long Rows, long Bytes)> ReadAsync(NpgsqlConnection connection, string table, int[] partitions, int recordBytes, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT v FROM {table} WHERE p = ANY(@partitions)", connection);
        command.Parameters.AddWithValue("partitions", partitions);
        var buffer = new byte[Math.Max(recordBytes, 1)];
        long rows = 0;
        long bytes = 0;
        // Npgsql hands rows over as they arrive on the socket: one streaming result, never the whole table in memory.
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var length = reader.GetBytes(0, 0, null, 0, 0);
            if (length > buffer.Length)
            {
                buffer = new byte[length];
            }
            bytes += reader.GetBytes(0, 0, buffer, 0, (int)length);
            rows++;
        }
        return (rows, bytes);
    }

    private static async Task CreateTableAsync(NpgsqlDataSource dataSource, string table, int partitions, CancellationToken cancellationToken)
    {
        var sql = new System.Text.StringBuilder();
        sql.Append(CultureInfo.InvariantCulture, $"DROP TABLE IF EXISTS {table};");
        if (partitions <= 1)
        {
            sql.Append(CultureInfo.InvariantCulture, $"CREATE TABLE {table} (p int NOT NULL, k bytea, v bytea NOT NULL);");
        }
        else
        {
            // One table, list-partitioned by the record's partition: each partition is its own heap, as in a log.
            sql.Append(CultureInfo.InvariantCulture, $"CREATE TABLE {table} (p int NOT NULL, k bytea, v bytea NOT NULL) PARTITION BY LIST (p);");
            for (var p = 0; p < partitions; p++)
            {
                sql.Append(CultureInfo.InvariantCulture, $"CREATE TABLE {Quote($"{Unquoted(table)}-{p}")} PARTITION OF {table} FOR VALUES IN ({p});");
            }
        }
        // Values are incompressible random bytes: no TOAST compression attempt per row.
        sql.Append(CultureInfo.InvariantCulture, $"ALTER TABLE {table} ALTER COLUMN v SET STORAGE EXTERNAL;");
        await using var command = dataSource.CreateCommand(sql.ToString());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // The partition of a key, stable across producers (the generator's keys cycle through KeyCount).
    private static int PartitionOf(long index, int partitions) => (int)(index % RecordGenerator.KeyCount % partitions);

    private static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static string Unquoted(string quoted) => quoted[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal);

    private NpgsqlDataSource Started() => _dataSource ?? throw new InvalidOperationException("PostgresPeer is not started.");

    private int ReadPostmasterPid()
    {
        // The first line of postmaster.pid is the postmaster's PID; it is written before the port accepts connections.
        var line = File.ReadLines(Path.Combine(_dataDirectory!, "postmaster.pid")).First();
        return int.Parse(line, CultureInfo.InvariantCulture);
    }

    private async Task RunAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken, bool throwOnError = true)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _environment?.Directory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{fileName} did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0 && throwOnError)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', info.ArgumentList)} exited with {process.ExitCode}: {await output.ConfigureAwait(false)}{await error.ConfigureAwait(false)}");
        }
    }
}
