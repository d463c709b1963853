using System.Globalization;

namespace Orlog.Grains.Partitions;

/// <summary>The key of a partition replica grain: <c>topic/partition/broker</c> (topic names never hold '/').</summary>
public readonly record struct ReplicaKey(string Topic, int Partition, int Broker)
{
    public TopicPartition TopicPartition => new(Topic, Partition);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Topic}/{Partition}/{Broker}");

    public static ReplicaKey Parse(string key)
    {
        var last = key.LastIndexOf('/');
        var middle = last > 0 ? key.LastIndexOf('/', last - 1) : -1;
        if (middle <= 0
            || !int.TryParse(key.AsSpan(middle + 1, last - middle - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
            || !int.TryParse(key.AsSpan(last + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var broker))
        {
            throw new ArgumentException($"'{key}' is not a replica key of the form topic/partition/broker.", nameof(key));
        }
        return new ReplicaKey(key[..middle], partition, broker);
    }
}
