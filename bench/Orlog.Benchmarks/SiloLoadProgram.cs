using Orlog.Benchmarks.Streaming;
using Orlog.Client;

namespace Orlog.Benchmarks;

/// <summary>
/// The frame of a load program that measures through a silo of its own: starts the real silo (see
/// <see cref="SiloRunner"/>), connects a client and an admin client to it, lets the program measure and render its
/// section, prints the section and writes it to --out, else to docs/benchmarks.md for a result and to a temp file
/// for anything less. The silo is stopped at the end, and on Ctrl+C.
/// </summary>
internal static class SiloLoadProgram
{
    /// <param name="section">The section's name in docs/benchmarks.md; it also starts the first log line.</param>
    /// <param name="description">What the run will do, for the first log line.</param>
    /// <param name="siloArguments">Passed to the silo's command line.</param>
    /// <param name="output">The file given with --out, if any.</param>
    /// <param name="isResult">Whether the run may rewrite docs/benchmarks.md (when no --out is given).</param>
    /// <param name="measure">The program's measurements.</param>
    /// <param name="render">The section's text from the results and the load averages before and after.</param>
    public static async Task<int> RunAsync<TResults>(string section, string description, string[] siloArguments, string? output, bool isResult,
        Func<SiloRunner, OrlogClient, IAdminClient, Task<TResults>> measure, Func<TResults, string, string, string> render)
    {
        var root = MarkdownSection.RepositoryRoot();
        var siloAssembly = SiloRunner.FindSilo(root);
        Log($"{section}: {description}; silo {siloAssembly}");
        var loadBefore = MachineLoad.Average();

        using var silo = await SiloRunner.StartAsync(siloAssembly, siloArguments, TimeSpan.FromSeconds(90));
        ConsoleCancelEventHandler onCancel = (_, _) => silo.Dispose();
        Console.CancelKeyPress += onCancel;
        try
        {
            Log($"silo pid {silo.ProcessId} on {silo.Bootstrap}, data in {silo.DataDirectory}; this process pid {Environment.ProcessId}");
            await using var client = await OrlogClient.ConnectAsync(new ClientConfig { BootstrapServers = silo.Bootstrap, ClientId = "orlog-bench" });
            await using var admin = await new AdminClientBuilder(new ClientConfig()).SetClient(client).BuildAsync();
            var results = await measure(silo, client, admin);
            var text = render(results, loadBefore, MachineLoad.Average());
            Console.Out.WriteLine(text);
            var path = output ?? (!isResult ? Path.Combine(Path.GetTempPath(), "orlog-benchmarks.md") : Path.Combine(root, "docs", "benchmarks.md"));
            MarkdownSection.Write(path, section, text);
            Log($"wrote {path}");
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        return 0;
    }

    private static void Log(string line) => Console.Error.WriteLine(line);

}
