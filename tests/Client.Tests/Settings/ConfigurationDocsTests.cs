namespace Orlog.Client.Tests.Settings;

/// <summary>docs/configuration.md's tables are the catalog's: run with ORLOG_UPDATE_DOCS=1 to write them after changing a setting.</summary>
public sealed class ConfigurationDocsTests
{
    private const string Begin = "<!-- client-settings:begin (written from src/Client/Config/Settings; ORLOG_UPDATE_DOCS=1 dotnet test --filter ConfigurationDocs) -->";
    private const string End = "<!-- client-settings:end -->";

    [Fact]
    public void TheDocsTablesAreTheCatalogs()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "configuration.md");
        var text = File.ReadAllText(path);
        var start = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"{path} lacks the markers of the client settings tables");
        var expected = Begin + "\n\n" + ClientSettingsTable.Render() + "\n" + End;
        var actual = text[start..(end + End.Length)];
        if (actual != expected && Environment.GetEnvironmentVariable("ORLOG_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, text[..start] + expected + text[(end + End.Length)..]);
            return;
        }
        Assert.True(actual == expected, "docs/configuration.md's client settings differ from the catalog: run ORLOG_UPDATE_DOCS=1 dotnet test --filter ConfigurationDocs");
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Orleans.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("The repository root (Orleans.sln) was not found above the test's directory.");
    }
}
