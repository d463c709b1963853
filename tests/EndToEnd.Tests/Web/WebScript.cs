namespace Orlog.EndToEnd.Tests.Web;

/// <summary>
/// Runs a script of tests/Web: pages.mjs under Node (playwright-core, Debian's chromium), metrics.py under Debian's
/// Python with the Prometheus project's client library (./test.sh installs them all).
/// </summary>
internal static class WebScript
{
    /// <summary>tests/Web, found from the test's build output up to the repository.</summary>
    public static string Directory { get; } = Find();

    public static async Task<string> RunAsync(string script, IEnumerable<string> args, string? input = null, TimeSpan? timeout = null)
    {
        var python = script.EndsWith(".py", StringComparison.Ordinal);
        if (!python)
        {
            Assert.True(System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "playwright-core")),
                $"The web tests' packages are not installed in {Directory}: ./test.sh runs `npm ci` there (or run it by hand)");
        }
        // Debian's Python, where Debian's python3-prometheus-client is, whatever else is first on PATH.
        var program = python ? (File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3") : "node";
        return await ExternalProgram.RunAsync(program, [script, .. args], input, Directory, timeout);
    }

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "Web");
            if (File.Exists(Path.Combine(candidate, "pages.mjs")))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("tests/Web/pages.mjs not found above " + AppContext.BaseDirectory);
    }
}
