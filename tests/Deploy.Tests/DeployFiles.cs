namespace Orlog.Deploy.Tests;

/// <summary>The repository's deploy/ files, found from the tests' output directory upwards (the directory that holds Orleans.sln).</summary>
internal static class DeployFiles
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Deploy => Path.Combine(RepositoryRoot, "deploy");

    public static string SystemdUnit => Path.Combine(Deploy, "systemd", "orlog-broker@.service");

    public static string SystemdEnvironmentFile => Path.Combine(Deploy, "systemd", "orlog-broker-1.env");

    public static string Dockerfile => Path.Combine(Deploy, "docker", "Dockerfile");

    public static string Compose => Path.Combine(Deploy, "docker", "compose.yaml");

    public static string Kubernetes => Path.Combine(Deploy, "kubernetes");

    /// <summary>Orlog.Silo.dll as built beside the tests (the test project references src/Silo).</summary>
    public static string SiloDll => Path.Combine(AppContext.BaseDirectory, "Orlog.Silo.dll");

    /// <summary>The dotnet host running these tests, to run the silo with.</summary>
    public static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    /// <summary>Every YAML file under deploy/.</summary>
    public static string[] YamlFiles() =>
    [
        .. Directory.EnumerateFiles(Deploy, "*.*", SearchOption.AllDirectories)
            .Where(path => path.EndsWith(".yaml", StringComparison.Ordinal) || path.EndsWith(".yml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal),
    ];

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Orleans.sln")) && Directory.Exists(Path.Combine(directory.FullName, "deploy")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No directory above {AppContext.BaseDirectory} holds Orleans.sln and deploy/.");
    }
}
