namespace Orlog.Benchmarks;

/// <summary>
/// Rewrites one generated section of docs/benchmarks.md, between
/// <c>&lt;!-- BEGIN name --&gt;</c> and <c>&lt;!-- END name --&gt;</c>, leaving the rest of the file alone.
/// </summary>
internal static class MarkdownSection
{
    public static void Write(string path, string name, string content)
    {
        var begin = $"<!-- BEGIN {name} (generated: do not edit by hand) -->";
        var end = $"<!-- END {name} -->";
        var text = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n";
        var block = $"{begin}\n{content.TrimEnd()}\n{end}";
        var start = text.IndexOf(begin, StringComparison.Ordinal);
        var stop = text.IndexOf(end, StringComparison.Ordinal);
        text = start >= 0 && stop > start
            ? text[..start] + block + text[(stop + end.Length)..]
            : text.TrimEnd() + "\n\n" + block + "\n";
        File.WriteAllText(path, text);
    }

    /// <summary>The repository root: the nearest parent holding Orleans.sln.</summary>
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Orleans.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? Directory.GetCurrentDirectory();
    }
}
