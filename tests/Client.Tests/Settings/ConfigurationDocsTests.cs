namespace Orlog.Client.Tests.Settings;

/// <summary>docs/configuration.md's tables are the catalog's: run with ORLOG_UPDATE_DOCS=1 to write them after changing a setting.</summary>
public sealed class ConfigurationDocsTests
{
    [Fact]
    public void TheClientSettingsTablesAreTheCatalogs() =>
        Check("client-settings", "src/Client/Config/Settings", ClientSettingsTable.Render());

    [Fact]
    public void TheTopicConfigsTableIsTheCatalogs() =>
        Check("topic-settings", "src/Grains/Controller/TopicSettings.cs", Grains.Controller.TopicSettingsTable.Render());

    [Fact]
    public void TheBrokerSettingsTableIsTheCatalogs() =>
        Check("broker-settings", "src/Grains/Hosting/BrokerSettings.cs", Grains.Hosting.BrokerSettingsTable.Render());

    private static void Check(string section, string source, string rendered)
    {
        var begin = $"<!-- {section}:begin (written from {source}; ORLOG_UPDATE_DOCS=1 dotnet test --filter ConfigurationDocs) -->";
        var end = $"<!-- {section}:end -->";
        var path = Path.Combine(RepositoryRoot(), "docs", "configuration.md");
        var text = File.ReadAllText(path);
        var from = text.IndexOf(begin, StringComparison.Ordinal);
        var to = text.IndexOf(end, StringComparison.Ordinal);
        Assert.True(from >= 0 && to > from, $"{path} lacks the markers of {section}");
        var expected = begin + "\n\n" + rendered + "\n" + end;
        var actual = text[from..(to + end.Length)];
        if (actual != expected && Environment.GetEnvironmentVariable("ORLOG_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, text[..from] + expected + text[(to + end.Length)..]);
            return;
        }
        Assert.True(actual == expected, $"docs/configuration.md's {section} differ from {source}: run ORLOG_UPDATE_DOCS=1 dotnet test --filter ConfigurationDocs");
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
