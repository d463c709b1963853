using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace Orlog.Tests.Support;

/// <summary>
/// A private PostgreSQL server for tests: initdb into a fresh directory under /tmp, started with pg_ctl on
/// a free loopback port (listening on 127.0.0.1 only, its unix socket inside that directory, trust
/// authentication, fsync off), databases created on demand, and on dispose stopped and deleted with its
/// directory. Run as root, initdb and pg_ctl run as the postgres user (<c>runuser -u postgres</c>), since
/// PostgreSQL refuses to run as root. Every wait has a deadline; the failure messages carry the server log.
/// Link it into a test project with <c>&lt;Compile Include="../TestSupport/PrivatePostgres.cs" Link="TestSupport/PrivatePostgres.cs" /&gt;</c>.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    /// <summary>The superuser initdb creates; trusted on 127.0.0.1, no password.</summary>
    public const string User = "postgres";

    private static readonly TimeSpan _commandTimeout = TimeSpan.FromSeconds(60);
    private static readonly bool _asRoot = string.Equals(Environment.UserName, "root", StringComparison.Ordinal);
    private int _databases;

    private PrivatePostgres(string directory, int port)
    {
        RootDirectory = directory;
        Port = port;
    }

    /// <summary>The server's directory: <c>data/</c> (the cluster), <c>postgres.log</c> and the unix socket.</summary>
    public string RootDirectory { get; }

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    private string DataDirectory => Path.Combine(RootDirectory, "data");

    private string LogFile => Path.Combine(RootDirectory, "postgres.log");

    /// <summary>Initializes and starts a server; throws with initdb's or the server's output if it cannot.</summary>
    public static async Task<PrivatePostgres> StartAsync()
    {
        // Under /tmp, whose parents the postgres user can traverse (a TMPDIR under /root would not do).
        var directory = Path.Combine(OperatingSystem.IsLinux() ? "/tmp" : Path.GetTempPath(), "orlog-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        try
        {
            if (_asRoot)
            {
                await RunAsync("chown", [User + ":" + User, directory]);
            }
            await RunPostgresToolAsync("initdb", ["-D", Path.Combine(directory, "data"), "-U", User, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"]);
            // A free port can be taken between choosing and binding it: then try another.
            for (var attempt = 1; ; attempt++)
            {
                var server = new PrivatePostgres(directory, FreePort());
                try
                {
                    await server.StartServerAsync();
                    return server;
                }
                catch (InvalidOperationException) when (attempt < 3 && server.LogText().Contains("could not bind", StringComparison.OrdinalIgnoreCase))
                {
                }
            }
        }
        catch
        {
            DeleteDirectory(directory);
            throw;
        }
    }

    /// <summary>The connection string of <paramref name="database"/> as the superuser.</summary>
    public string ConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = User,
        Database = database,
        Timeout = 10,
    }.ConnectionString;

    /// <summary>Creates an empty database (a fresh name unless given); returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= "test" + Interlocked.Increment(ref _databases).ToString(CultureInfo.InvariantCulture) + "_" + Guid.NewGuid().ToString("N")[..8];
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>The server's log so far, for failure messages.</summary>
    public string LogText()
    {
        try
        {
            return File.ReadAllText(LogFile);
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    /// <summary>Stops the server (immediate shutdown) and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await RunPostgresToolAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "-t", "30", "stop"]);
        }
        catch (InvalidOperationException)
        {
            KillPostmaster();
        }
        DeleteDirectory(RootDirectory);
    }

    private async Task StartServerAsync()
    {
        var settings = string.Join(' ',
            "-c listen_addresses=127.0.0.1",
            $"-c port={Port.ToString(CultureInfo.InvariantCulture)}",
            $"-c unix_socket_directories={RootDirectory}",
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            "-c max_connections=200 -c shared_buffers=32MB");
        // -w: pg_ctl itself polls until the server accepts connections, up to -t seconds.
        await RunPostgresToolAsync("pg_ctl", ["-D", DataDirectory, "-l", LogFile, "-o", settings, "-w", "-t", "30", "start"], () => LogText());
    }

    private void KillPostmaster()
    {
        try
        {
            var pidLine = File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).FirstOrDefault();
            if (int.TryParse(pidLine, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
            {
                using var postmaster = Process.GetProcessById(pid);
                postmaster.Kill(entireProcessTree: true);
                postmaster.WaitForExit(10_000);
            }
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }
    }

    private static Task RunPostgresToolAsync(string tool, IReadOnlyList<string> args, Func<string>? moreContext = null) =>
        _asRoot ? RunAsync("runuser", ["-u", User, "--", tool, .. args], moreContext) : RunAsync(tool, args, moreContext);

    private static async Task RunAsync(string program, IReadOnlyList<string> args, Func<string>? moreContext = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // pg_ctl start leaves the server running; it must not inherit a directory it could block.
            WorkingDirectory = "/",
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(_commandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} did not finish within {_commandTimeout}");
        }
        output.Append(await stdout).Append(await stderr);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited with {process.ExitCode}:\n{output}\n{moreContext?.Invoke()}");
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static void DeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
