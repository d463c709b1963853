using System.Security.Cryptography;

namespace Orlog.Benchmarks.Tests;

/// <summary>docs/benchmarks.md of the repository the tests run from, to prove a quick run leaves it alone.</summary>
internal static class DocsFile
{
    public static string Path { get; } = System.IO.Path.Combine(RepositoryRoot(), "docs", "benchmarks.md");

    public static byte[] Hash() => File.Exists(Path) ? SHA256.HashData(File.ReadAllBytes(Path)) : [];

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "Orleans.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("Orleans.sln not found above the test directory");
    }
}
