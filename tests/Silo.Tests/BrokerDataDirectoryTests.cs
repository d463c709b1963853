using Orlog.Grains.Hosting;

namespace Orlog.Silo.Tests;

public sealed class BrokerDataDirectoryTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string DataDirectory => _temp.Combine("data");

    private static Dictionary<string, string> ReadProperties(string path)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(path))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var separator = line.IndexOf('=', StringComparison.Ordinal);
            Assert.True(separator > 0, $"'{line}' is not key=value");
            properties.Add(line[..separator], line[(separator + 1)..]);
        }
        return properties;
    }

    [Fact]
    public void The_first_open_creates_the_directory_and_writes_meta_properties_in_Kafkas_format()
    {
        using (var directory = BrokerDataDirectory.Open(DataDirectory, 3, "Xy-Z_0.9"))
        {
            Assert.True(directory.IsNew);
            Assert.Equal(Path.GetFullPath(DataDirectory), directory.Path);
            Assert.Equal(Path.Combine(directory.Path, "metadata"), directory.MetadataDirectory);
        }

        var properties = ReadProperties(Path.Combine(DataDirectory, "meta.properties"));
        Assert.Equal(new Dictionary<string, string> { ["version"] = "1", ["broker.id"] = "3", ["cluster.id"] = "Xy-Z_0.9" }, properties);
        Assert.False(File.Exists(Path.Combine(DataDirectory, "meta.properties.tmp")));
    }

    [Fact]
    public void A_later_open_with_the_same_identity_is_not_new_and_keeps_the_file()
    {
        BrokerDataDirectory.Open(DataDirectory, 1, "orlog").Dispose();
        var written = File.ReadAllText(Path.Combine(DataDirectory, "meta.properties"));

        using var directory = BrokerDataDirectory.Open(DataDirectory, 1, "orlog");
        Assert.False(directory.IsNew);
        Assert.Equal(written, File.ReadAllText(Path.Combine(DataDirectory, "meta.properties")));
    }

    [Fact]
    public void Another_broker_id_is_refused_naming_both_ids_and_the_directory()
    {
        BrokerDataDirectory.Open(DataDirectory, 1, "orlog").Dispose();

        var refused = Assert.Throws<BrokerDataDirectoryException>(() => BrokerDataDirectory.Open(DataDirectory, 2, "orlog"));
        Assert.Contains("broker.id=1", refused.Message, StringComparison.Ordinal);
        Assert.Contains("broker.id=2", refused.Message, StringComparison.Ordinal);
        Assert.Contains(Path.GetFullPath(DataDirectory), refused.Message, StringComparison.Ordinal);
        Assert.Equal(Path.GetFullPath(DataDirectory), refused.Directory);

        // The refusal released the lock: the right broker still opens it.
        using var directory = BrokerDataDirectory.Open(DataDirectory, 1, "orlog");
    }

    [Fact]
    public void Another_cluster_id_is_refused_naming_both_ids()
    {
        BrokerDataDirectory.Open(DataDirectory, 0, "blue").Dispose();

        var refused = Assert.Throws<BrokerDataDirectoryException>(() => BrokerDataDirectory.Open(DataDirectory, 0, "green"));
        Assert.Contains("cluster.id=blue", refused.Message, StringComparison.Ordinal);
        Assert.Contains("cluster.id=green", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_open_is_refused_while_the_first_holds_the_lock()
    {
        var first = BrokerDataDirectory.Open(DataDirectory, 0, "orlog");
        try
        {
            var refused = Assert.Throws<BrokerDataDirectoryException>(() => BrokerDataDirectory.Open(DataDirectory, 0, "orlog"));
            Assert.Contains(Path.GetFullPath(DataDirectory), refused.Message, StringComparison.Ordinal);
            Assert.Contains("in use", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            first.Dispose();
        }
        // The lock file names its holder, for people (.NET itself cannot read it while it is held).
        Assert.Equal(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(Path.Combine(DataDirectory, ".lock")).Trim());

        using var second = BrokerDataDirectory.Open(DataDirectory, 0, "orlog");
        Assert.False(second.IsNew);
    }

    [Fact]
    public void Meta_properties_with_comments_spaces_and_Kafkas_node_id_is_read()
    {
        Directory.CreateDirectory(DataDirectory);
        File.WriteAllText(Path.Combine(DataDirectory, "meta.properties"), "#\n#Tue Jan 06 10:00:00 UTC 2026\n! another comment\n\nnode.id = 4\nversion=1\ncluster.id=abc\ndirectory.id=ignored\n");

        using var directory = BrokerDataDirectory.Open(DataDirectory, 4, "abc");
        Assert.False(directory.IsNew);
    }

    [Theory]
    [InlineData("broker.id=0\ncluster.id=orlog\n", "no version")]
    [InlineData("version=0\nbroker.id=0\ncluster.id=orlog\n", "version is 0")]
    [InlineData("version=1\ncluster.id=orlog\n", "no broker.id")]
    [InlineData("version=1\nbroker.id=zero\ncluster.id=orlog\n", "'zero'")]
    [InlineData("version=1\nbroker.id=0\n", "no cluster.id")]
    [InlineData("version=1\nthis line is wrong\n", "'this line is wrong'")]
    public void A_damaged_meta_properties_is_refused_naming_the_file(string content, string damage)
    {
        Directory.CreateDirectory(DataDirectory);
        var path = Path.Combine(DataDirectory, "meta.properties");
        File.WriteAllText(path, content);

        var refused = Assert.Throws<BrokerDataDirectoryException>(() => BrokerDataDirectory.Open(DataDirectory, 0, "orlog"));
        Assert.Contains(Path.GetFullPath(path), refused.Message, StringComparison.Ordinal);
        Assert.Contains(damage, refused.Message, StringComparison.Ordinal);
        Assert.Equal(content, File.ReadAllText(path));
    }

    [Fact]
    public void A_file_in_place_of_the_directory_is_refused()
    {
        File.WriteAllText(DataDirectory, "not a directory");

        var refused = Assert.Throws<BrokerDataDirectoryException>(() => BrokerDataDirectory.Open(DataDirectory, 0, "orlog"));
        Assert.Contains("is a file", refused.Message, StringComparison.Ordinal);
    }
}
