using System.Text;
using Orlog.Log.Storage;

namespace Orlog.Log;

/// <summary>
/// <c>partition.metadata</c>: names the topic id a partition directory belongs to, in Kafka's text layout
/// ("version: 0", "topic_id: &lt;base64url uuid&gt;"), so a re-created topic never adopts an old one's data.
/// </summary>
internal static class PartitionMetadataFile
{
    public static void EnsureTopicId(IFileSystem fileSystem, string directory, Guid topicId)
    {
        var path = Path.Combine(directory, LogFileNames.PartitionMetadata);
        var content = fileSystem.ReadAllBytesOrNull(path);
        if (content is null)
        {
            fileSystem.WriteAtomically(path, Encoding.UTF8.GetBytes($"version: 0\ntopic_id: {Encode(topicId)}\n"));
            return;
        }
        var found = Parse(Encoding.UTF8.GetString(content));
        if (found != topicId)
        {
            throw new KafkaException(ErrorCode.InconsistentTopicId,
                $"The partition directory '{directory}' belongs to topic id {found?.ToString() ?? "(unreadable)"}, not {topicId}. Remove the directory of the deleted topic.");
        }
    }

    /// <summary>The topic id the directory's partition.metadata names; null when there is none or it cannot be read.</summary>
    public static Guid? Read(IFileSystem fileSystem, string directory)
    {
        var content = fileSystem.ReadAllBytesOrNull(Path.Combine(directory, LogFileNames.PartitionMetadata));
        return content is null ? null : Parse(Encoding.UTF8.GetString(content));
    }

    private static Guid? Parse(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("topic_id:", StringComparison.Ordinal))
            {
                return Decode(line["topic_id:".Length..].Trim());
            }
        }
        return null;
    }

    // Kafka writes a UUID as the URL-safe base64 of its 16 big-endian bytes, without padding.
    private static string Encode(Guid id) => Convert.ToBase64String(id.ToByteArray(bigEndian: true)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static Guid? Decode(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        base64 += new string('=', (4 - (base64.Length % 4)) % 4);
        Span<byte> bytes = stackalloc byte[18];
        return Convert.TryFromBase64String(base64, bytes, out var written) && written == 16 ? new Guid(bytes[..16], bigEndian: true) : null;
    }
}
