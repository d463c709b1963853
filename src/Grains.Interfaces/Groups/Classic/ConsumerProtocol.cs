namespace Orlog.Grains.Groups.Classic;

/// <summary>
/// Kafka's consumer protocol payloads, the bytes a classic consumer group carries opaquely: the subscription
/// in JoinGroup's protocol metadata and the assignment in SyncGroup. Encoded exactly as Kafka encodes them
/// (non-flexible, big-endian, a version first). As Kafka does, a version newer than the newest known is read
/// as the newest known, ignoring what follows: newer versions only add fields at the end.
/// </summary>
public static class ConsumerProtocol
{
    /// <summary>The newest ConsumerProtocolSubscription / ConsumerProtocolAssignment version known here.</summary>
    public const short LatestVersion = 3;

    private const string SubscriptionName = "ConsumerProtocolSubscription";
    private const string AssignmentName = "ConsumerProtocolAssignment";

    // Smallest encodings: an empty string (2 bytes) and a topic entry with no partitions (2 + 4 bytes).
    private const int MinStringSize = 2;
    private const int MinTopicPartitionsSize = 6;

    /// <summary>Encodes a subscription at <paramref name="version"/> (0-3); fields the version lacks are dropped.</summary>
    public static byte[] EncodeSubscription(ConsumerSubscription s, short version = LatestVersion)
    {
        ArgumentNullException.ThrowIfNull(s);
        CheckVersion(version, SubscriptionName);
        var writer = new ConsumerProtocolWriter();
        writer.WriteInt16(version);
        writer.WriteInt32(s.Topics.Count);
        foreach (var topic in s.Topics)
        {
            writer.WriteNullableString(topic ?? throw new ArgumentException("a subscribed topic is null", nameof(s)));
        }
        writer.WriteNullableBytes(s.UserData);
        if (version >= 1)
        {
            writer.WriteTopicPartitions(s.OwnedPartitions);
        }
        if (version >= 2)
        {
            writer.WriteInt32(s.GenerationId);
        }
        if (version >= 3)
        {
            writer.WriteNullableString(s.RackId);
        }
        return writer.ToArray();
    }

    /// <summary>Decodes a subscription of any version; malformed bytes throw INCONSISTENT_GROUP_PROTOCOL naming the fault.</summary>
    public static ConsumerSubscription DecodeSubscription(ReadOnlySpan<byte> bytes)
    {
        var reader = new ConsumerProtocolReader(bytes, SubscriptionName);
        var version = ReadVersion(ref reader);
        var topicCount = reader.ReadArrayCount("topics", MinStringSize);
        var topics = new string[topicCount];
        for (var i = 0; i < topicCount; i++)
        {
            topics[i] = reader.ReadString("a topic name");
        }
        var userData = reader.ReadNullableBytes("user data");
        IReadOnlyList<TopicPartition> owned = version >= 1 ? ReadTopicPartitions(ref reader, "owned partitions") : [];
        var generation = version >= 2 ? reader.ReadInt32("generation id") : ConsumerSubscription.NoGeneration;
        var rack = version >= 3 ? reader.ReadNullableString("rack id") : null;
        return new ConsumerSubscription(topics, userData, owned, generation, rack);
    }

    /// <summary>Encodes an assignment at <paramref name="version"/> (0-3; all versions share one layout).</summary>
    public static byte[] EncodeAssignment(ConsumerAssignment a, short version = LatestVersion)
    {
        ArgumentNullException.ThrowIfNull(a);
        CheckVersion(version, AssignmentName);
        var writer = new ConsumerProtocolWriter();
        writer.WriteInt16(version);
        writer.WriteTopicPartitions(a.Partitions);
        writer.WriteNullableBytes(a.UserData);
        return writer.ToArray();
    }

    /// <summary>Decodes an assignment of any version; malformed bytes throw INCONSISTENT_GROUP_PROTOCOL naming the fault.</summary>
    public static ConsumerAssignment DecodeAssignment(ReadOnlySpan<byte> bytes)
    {
        var reader = new ConsumerProtocolReader(bytes, AssignmentName);
        ReadVersion(ref reader);
        var partitions = ReadTopicPartitions(ref reader, "assigned partitions");
        var userData = reader.ReadNullableBytes("user data");
        return new ConsumerAssignment(partitions, userData);
    }

    private static short ReadVersion(ref ConsumerProtocolReader reader)
    {
        var version = reader.ReadInt16("version");
        if (version < 0)
        {
            throw reader.Malformed($"version {version} is negative");
        }
        return Math.Min(version, LatestVersion);
    }

    private static List<TopicPartition> ReadTopicPartitions(ref ConsumerProtocolReader reader, string field)
    {
        var topicCount = reader.ReadArrayCount(field, MinTopicPartitionsSize);
        var result = new List<TopicPartition>();
        for (var i = 0; i < topicCount; i++)
        {
            var topic = reader.ReadString("a topic name");
            var count = reader.ReadArrayCount("a topic's partitions", sizeof(int));
            for (var j = 0; j < count; j++)
            {
                result.Add(new TopicPartition(topic, reader.ReadInt32("a partition")));
            }
        }
        return result;
    }

    private static void CheckVersion(short version, string message)
    {
        if (version is < 0 or > LatestVersion)
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, $"{message} versions are 0 to {LatestVersion}");
        }
    }
}
