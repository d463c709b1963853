using System.Globalization;
using System.Text;

namespace Orlog.Grains.Storage;

/// <summary>
/// The identity a data directory records at its broker's first start, in Kafka's <c>meta.properties</c>
/// format: Java properties lines (<c>key=value</c>, <c>#</c> or <c>!</c> comments, blank lines ignored)
/// with <c>version=1</c>, <c>broker.id</c> and <c>cluster.id</c>. Kafka's KRaft name <c>node.id</c> is read
/// as the broker id when <c>broker.id</c> is absent; other keys are ignored.
/// </summary>
internal sealed record MetaProperties(int BrokerId, string ClusterId)
{
    public const string FileName = "meta.properties";
    public const int Version = 1;

    /// <summary>The file's content: a comment, then one <c>key=value</c> line per property.</summary>
    public string Format(DateTimeOffset writtenAt) =>
        string.Create(CultureInfo.InvariantCulture, $"#Written by Orlog at its first start; the broker refuses this directory under another broker.id or cluster.id.\n#{writtenAt:yyyy-MM-ddTHH:mm:ssZ}\nversion={Version}\nbroker.id={BrokerId}\ncluster.id={ClusterId}\n");

    /// <summary>Reads the file, or returns null when it does not exist; a malformed file throws <see cref="InvalidDataException"/>.</summary>
    public static MetaProperties? Read(string path)
    {
        var content = AtomicFile.ReadOrNull(path);
        return content is null ? null : Parse(Encoding.UTF8.GetString(content), path);
    }

    /// <summary>Writes the file crash-safely (temp file, fsync, rename, directory fsync).</summary>
    public void Write(string path) => AtomicFile.Write(path, Encoding.UTF8.GetBytes(Format(DateTimeOffset.UtcNow)));

    public static MetaProperties Parse(string text, string path)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line[0] is '#' or '!')
            {
                continue;
            }
            var separator = line.IndexOfAny(['=', ':']);
            if (separator <= 0)
            {
                throw Malformed(path, $"the line '{line}' is not key=value");
            }
            properties[line[..separator].TrimEnd()] = line[(separator + 1)..].TrimStart();
        }
        if (!properties.TryGetValue("version", out var version))
        {
            throw Malformed(path, "it has no version");
        }
        if (version != "1")
        {
            throw Malformed(path, $"its version is {version}; this Orlog reads version {Version}");
        }
        if (!properties.TryGetValue("broker.id", out var brokerIdText) && !properties.TryGetValue("node.id", out brokerIdText))
        {
            throw Malformed(path, "it has no broker.id");
        }
        if (!int.TryParse(brokerIdText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var brokerId) || brokerId < 0)
        {
            throw Malformed(path, $"its broker.id '{brokerIdText}' is not a broker id");
        }
        if (!properties.TryGetValue("cluster.id", out var clusterId) || clusterId.Length == 0)
        {
            throw Malformed(path, "it has no cluster.id");
        }
        return new MetaProperties(brokerId, clusterId);
    }

    private static InvalidDataException Malformed(string path, string reason) => new($"'{path}' is damaged: {reason}.");
}
