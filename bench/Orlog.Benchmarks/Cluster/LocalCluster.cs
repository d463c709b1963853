using System.Diagnostics;
using System.Globalization;

namespace Orlog.Benchmarks.Cluster;

/// <summary>One line of `local-cluster.sh status`: ID PID STATE GATEWAY KAFKA WEB DATA-DIR.</summary>
internal sealed record BrokerLine(string Id, string Pid, string State, string Gateway)
{
    public static IReadOnlyList<BrokerLine> Parse(string status)
    {
        var lines = status.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var header = lines.Length > 0 ? lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
        if (header.Length < 4 || header[0] != "ID" || header[1] != "PID" || header[2] != "STATE")
        {
            throw new FormatException($"status does not start with its header line:\n{status}");
        }
        return [.. lines.Skip(1).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(cells => cells.Length >= 4)
            .Select(cells => new BrokerLine(cells[0], cells[1], cells[2], cells[3]))];
    }
}

/// <summary>
/// A local cluster run by deploy/local-cluster.sh in a temporary directory of its own (ORLOG_CLUSTER_DIR), on the
/// Orlog.Silo.dll beside this program (ORLOG_SILO_DLL) and a built orlog.dll (ORLOG_CLI_DLL: the environment's, else
/// src/Cli/bin/Release of this checkout or of /work/main, else the script builds src/Cli). Disposing it runs `stop`
/// and removes the directory; <see cref="StopNow"/> does the same synchronously for Ctrl+C.
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    private static readonly TimeSpan _scriptTimeout = TimeSpan.FromMinutes(4);
    private readonly string _silo;
    private readonly string? _cli;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private int _stopped;

    private LocalCluster(string script, string directory, string silo, string? cli, IReadOnlyDictionary<string, string> environment)
    {
        Script = script;
        Directory = directory;
        _silo = silo;
        _cli = cli;
        _environment = environment;
    }

    public string Script { get; }

    public string Directory { get; }

    public string Bootstrap { get; private set; } = "";

    public string ClusterId { get; private set; } = "orlog";

    public TimeSpan StartDuration { get; private set; }

    /// <summary>Starts <paramref name="brokers"/> brokers; <paramref name="environment"/> is given to every script call, so
    /// to every broker it starts (broker settings as <c>Orlog__Defaults__name</c> variables).</summary>
    public static async Task<LocalCluster> StartAsync(string repositoryRoot, string silo, int brokers, IReadOnlyDictionary<string, string>? environment = null)
    {
        var script = Path.Combine(repositoryRoot, "deploy", "local-cluster.sh");
        if (!File.Exists(script))
        {
            throw new FileNotFoundException($"no deploy/local-cluster.sh under {repositoryRoot}");
        }
        var parent = Path.Combine(Path.GetTempPath(), "orlog-bench-cluster");
        var directory = Path.Combine(parent, Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows())
        {
            // PostgreSQL runs as user postgres: it must be able to enter the cluster's directory.
            const UnixFileMode traversable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
            File.SetUnixFileMode(parent, traversable);
            File.SetUnixFileMode(directory, traversable);
        }
        var cluster = new LocalCluster(script, directory, silo, FindCli(repositoryRoot), environment ?? new Dictionary<string, string>());
        try
        {
            var watch = Stopwatch.StartNew();
            var start = await cluster.RunAsync("start", brokers.ToString(CultureInfo.InvariantCulture), "--timeout", "120");
            cluster.StartDuration = watch.Elapsed;
            if (start.ExitCode != 0)
            {
                throw new InvalidOperationException($"local-cluster.sh start {brokers} failed: {start.Stderr.Trim()}");
            }
            cluster.Bootstrap = (await cluster.RunCheckedAsync("bootstrap")).Trim();
            cluster.ClusterId = (await cluster.RunCheckedAsync("cluster-id")).Trim();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private static string? FindCli(string repositoryRoot)
    {
        var given = Environment.GetEnvironmentVariable("ORLOG_CLI_DLL");
        if (!string.IsNullOrEmpty(given))
        {
            return given;
        }
        foreach (var root in new[] { repositoryRoot, "/work/main" })
        {
            var bin = Path.Combine(root, "src", "Cli", "bin", "Release");
            if (System.IO.Directory.Exists(bin))
            {
                var found = System.IO.Directory.GetFiles(bin, "orlog.dll", SearchOption.AllDirectories)
                    .OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault();
                if (found is not null)
                {
                    return found;
                }
            }
        }
        return null; // the script builds src/Cli
    }

    public async Task<IReadOnlyList<BrokerLine>> StatusAsync() =>
        [.. BrokerLine.Parse(await RunCheckedAsync("status")).Where(line => line.Id != "db")];

    public Task KillAsync(int id) => RunCheckedAsync("kill", id.ToString(CultureInfo.InvariantCulture));

    public Task RestartAsync(int id) => RunCheckedAsync("restart", id.ToString(CultureInfo.InvariantCulture), "--timeout", "120");

    /// <summary>User + system CPU time of the running brokers, from /proc/PID/stat (utime + stime, in clock ticks).</summary>
    public static TimeSpan CpuTime(IEnumerable<int> pids)
    {
        var ticks = 0L;
        foreach (var pid in pids)
        {
            ticks += ProcessTicks(pid);
        }
        return TimeSpan.FromSeconds(ticks / ClockTicksPerSecond);
    }

    /// <summary>USER_HZ: 100 on every Linux the benchmark runs on (`getconf CLK_TCK`).</summary>
    private const double ClockTicksPerSecond = 100;

    private static long ProcessTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // fields[0] is field 3 (state): utime is field 14, stime field 15.
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    public async Task<string> RunCheckedAsync(params string[] args)
    {
        var result = await RunAsync(args);
        return result.ExitCode == 0
            ? result.Stdout
            : throw new InvalidOperationException($"local-cluster.sh {string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr.Trim()}");
    }

    public async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var process = Process.Start(Info(args))!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(_scriptTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"local-cluster.sh {string.Join(' ', args)} did not finish within {_scriptTimeout}; stderr: {await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    private ProcessStartInfo Info(string[] args)
    {
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Directory,
        };
        info.ArgumentList.Add(Script);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in _environment)
        {
            info.Environment[name] = value;
        }
        info.Environment["ORLOG_CLUSTER_DIR"] = Directory;
        info.Environment["ORLOG_SILO_DLL"] = _silo;
        if (_cli is not null)
        {
            info.Environment["ORLOG_CLI_DLL"] = _cli;
        }
        return info;
    }

    /// <summary>`stop`, synchronously (for Ctrl+C), then the directory goes. Safe to call more than once.</summary>
    public void StopNow()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }
        try
        {
            using var process = Process.Start(Info(["stop"]))!;
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                Console.Error.WriteLine("local-cluster.sh stop did not finish within 2 min");
            }
            else if (process.ExitCode != 0)
            {
                Console.Error.WriteLine($"local-cluster.sh stop exited {process.ExitCode}: {stderr.GetAwaiter().GetResult().Trim()}");
            }
        }
        finally
        {
            try
            {
                // ORLOG_BENCH_KEEP_CLUSTER=1 keeps the brokers' logs and data for reading after a run.
                if (Environment.GetEnvironmentVariable("ORLOG_BENCH_KEEP_CLUSTER") == "1")
                {
                    Console.Error.WriteLine($"kept {Directory} (ORLOG_BENCH_KEEP_CLUSTER=1)");
                }
                else
                {
                    System.IO.Directory.Delete(Directory, recursive: true);
                }
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"could not remove {Directory}: {error.Message}");
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        StopNow();
        return ValueTask.CompletedTask;
    }
}
