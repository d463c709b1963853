using System.Diagnostics;

namespace Orlog.EndToEnd.Tests.Cluster;

/// <summary>
/// A local cluster for the collection: `deploy/local-cluster.sh start 3` in a temp directory, run on the
/// Orlog.Silo.dll built beside the tests and the CLI's own orlog.dll (ORLOG_SILO_DLL, ORLOG_CLI_DLL: the script builds
/// nothing), and `stop` when the collection ends. Tests use <see cref="Bootstrap"/>, <see cref="RunCliAsync"/>
/// and <see cref="RunAsync"/> (any verb of the script); a test that stops, kills or pauses a broker leaves the
/// cluster as it found it (<see cref="EnsureAllRunningAsync"/>).
/// </summary>
public class LocalClusterFixture : IAsyncLifetime
{
    /// <summary>The number of brokers `start` runs (ids 1..N).</summary>
    public const int Brokers = 3;

    private static readonly TimeSpan _scriptTimeout = TimeSpan.FromMinutes(3);

    /// <summary>The cluster's directory ($ORLOG_CLUSTER_DIR).</summary>
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "orlog-e2e-cluster", Guid.NewGuid().ToString("N"));

    /// <summary>deploy/local-cluster.sh of this checkout.</summary>
    public string Script { get; } = FindScript();

    /// <summary>The gateway list of every broker, host:port,host:port,... (`bootstrap`).</summary>
    public string Bootstrap { get; private set; } = "";

    /// <summary>The cluster's id: clients pass it as orleans.cluster.id.</summary>
    public string ClusterId { get; private set; } = "";

    /// <summary>The PostgreSQL connection string the brokers use (`cluster-db`).</summary>
    public string ClusterDb { get; private set; } = "";

    /// <summary>How long `start` took.</summary>
    public TimeSpan StartDuration { get; private set; }

    /// <summary>Options of `start` beyond the broker count (e.g. --netns).</summary>
    protected virtual IReadOnlyList<string> StartOptions => [];

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        if (!OperatingSystem.IsWindows())
        {
            // PostgreSQL runs as user postgres: it must be able to enter the cluster's directory.
            const UnixFileMode traversable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
            File.SetUnixFileMode(Path.GetDirectoryName(Directory)!, traversable);
            File.SetUnixFileMode(Directory, traversable);
        }
        var started = Stopwatch.StartNew();
        var start = await RunAsync(["start", Brokers.ToString(System.Globalization.CultureInfo.InvariantCulture), "--timeout", "90", .. StartOptions]);
        StartDuration = started.Elapsed;
        if (start.ExitCode != 0)
        {
            await RunAsync("stop");
            throw new InvalidOperationException($"The local cluster did not start: {start}");
        }
        Bootstrap = (await RunAsync("bootstrap")).EnsureSuccess().Stdout.Trim();
        ClusterId = (await RunAsync("cluster-id")).EnsureSuccess().Stdout.Trim();
        ClusterDb = (await RunAsync("cluster-db")).EnsureSuccess().Stdout.Trim();
    }

    public async Task DisposeAsync()
    {
        try
        {
            (await RunAsync("stop")).EnsureSuccess();
        }
        finally
        {
            if (System.IO.Directory.Exists(Directory))
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
        }
    }

    /// <summary>Runs deploy/local-cluster.sh VERB ARGS on this cluster.</summary>
    public Task<ScriptResult> RunAsync(params string[] args) => RunProcessAsync("bash", [Script, .. args]);

    /// <summary>Runs the orlog CLI against this cluster (-b <see cref="Bootstrap"/> and its cluster id come first).</summary>
    public Task<ScriptResult> RunCliAsync(params string[] args) => RunCliOnAsync(Bootstrap, args);

    /// <summary>Runs the orlog CLI with <paramref name="bootstrap"/> (one gateway, or a list) and this cluster's id.</summary>
    public Task<ScriptResult> RunCliOnAsync(string bootstrap, params string[] args) =>
        RunProcessAsync("dotnet", [OrlogCli.Dll, "-b", bootstrap, "-X", $"orleans.cluster.id={ClusterId}", .. args]);

    /// <summary>`status`, parsed: one entry a broker, then PostgreSQL with id `db`.</summary>
    public async Task<IReadOnlyList<BrokerStatus>> StatusAsync() =>
        BrokerStatus.Parse((await RunAsync("status")).EnsureSuccess().Stdout);

    /// <summary>The status line of broker <paramref name="id"/> (or "db").</summary>
    public async Task<BrokerStatus> StatusOfAsync(string id) =>
        (await StatusAsync()).SingleOrDefault(line => line.Id == id) ?? throw new InvalidOperationException($"status has no line for {id}");

    /// <summary>
    /// Copies the brokers' and the script's logs to <c>$TMPDIR/orlog-&lt;name&gt;-logs</c> and returns that path: the
    /// cluster's directory goes with the collection, and a failed test's diagnosis needs them.
    /// </summary>
    public string KeepLogs(string name)
    {
        var kept = Path.Combine(Path.GetTempPath(), $"orlog-{name}-logs");
        System.IO.Directory.CreateDirectory(kept);
        foreach (var file in System.IO.Directory.GetFiles(Path.Combine(Directory, "logs")))
        {
            File.Copy(file, Path.Combine(kept, Path.GetFileName(file)), overwrite: true);
        }
        return kept;
    }

    /// <summary>Resumes paused brokers and restarts stopped ones, so the next test finds every broker running.</summary>
    public async Task EnsureAllRunningAsync()
    {
        foreach (var broker in await StatusAsync())
        {
            if (broker.Id == "db")
            {
                continue;
            }
            if (broker.State == "paused")
            {
                (await RunAsync("resume", broker.Id)).EnsureSuccess();
            }
            else if (broker.State == "stopped")
            {
                (await RunAsync("restart", broker.Id)).EnsureSuccess();
            }
        }
    }

    private async Task<ScriptResult> RunProcessAsync(string program, IReadOnlyList<string> args)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = Directory,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["ORLOG_CLUSTER_DIR"] = Directory;
        info.Environment["ORLOG_SILO_DLL"] = Path.Combine(AppContext.BaseDirectory, "Orlog.Silo.dll");
        info.Environment["ORLOG_CLI_DLL"] = OrlogCli.Dll;
        var command = string.Join(' ', args.Select(arg => arg == Script ? "local-cluster.sh" : Path.GetFileName(arg)));
        using var process = Process.Start(info)!;
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
            throw new TimeoutException($"'{command}' did not finish within {_scriptTimeout}; stderr: {await stderr}");
        }
        return new ScriptResult(command, process.ExitCode, await stdout, await stderr);
    }

    private static string FindScript()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var script = Path.Combine(directory.FullName, "deploy", "local-cluster.sh");
            if (File.Exists(script))
            {
                return script;
            }
        }
        throw new FileNotFoundException($"deploy/local-cluster.sh not found above {AppContext.BaseDirectory}");
    }
}
