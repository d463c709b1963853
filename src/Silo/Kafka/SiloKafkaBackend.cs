using System.Globalization;
using Microsoft.Extensions.Options;
using Orlog.Grains;
using Orlog.Grains.Cluster;
using Orlog.Grains.Hosting;
using Orlog.Kafka.Server;

namespace Orlog.Silo.Kafka;

/// <summary>
/// The Kafka listener's view of the cluster, from this silo's metadata cache: rebuilt once per metadata version.
/// Brokers without a Kafka listener, or not alive, are left out of the broker list; a replica on such a broker
/// is offline.
/// </summary>
internal sealed class SiloKafkaBackend(MetadataCache metadata, IOptions<BrokerOptions> options) : IKafkaBackend
{
    private Cached? _cached;

    public KafkaClusterView Cluster
    {
        get
        {
            var current = metadata.Current;
            var cached = Volatile.Read(ref _cached);
            if (cached is not null && cached.Version == current.Version)
            {
                return cached.View;
            }
            var view = Build(current, options.Value.ClusterId);
            Volatile.Write(ref _cached, new Cached(current.Version, view));
            return view;
        }
    }

    private sealed record Cached(long Version, KafkaClusterView View);

    internal static KafkaClusterView Build(ClusterMetadata metadata, string clusterId)
    {
        var alive = metadata.Brokers.Where(b => b.Status == BrokerStatus.Alive).Select(b => b.Id).ToHashSet();
        var brokers = new List<KafkaBrokerEndpoint>();
        foreach (var broker in metadata.Brokers.OrderBy(b => b.Id))
        {
            if (broker.Status == BrokerStatus.Alive && TryParse(broker.Kafka, out var host, out var port))
            {
                brokers.Add(new KafkaBrokerEndpoint(broker.Id, host, port, broker.Rack));
            }
        }
        var topics = new Dictionary<string, KafkaTopicView>(StringComparer.Ordinal);
        foreach (var topic in metadata.Topics.Values)
        {
            topics[topic.Name] = new KafkaTopicView(topic.Name, topic.TopicId, [.. topic.Partitions.OrderBy(p => p.Partition).Select(p =>
                new KafkaPartitionView(p.Partition, p.Leader, p.LeaderEpoch, p.Replicas, p.Isr, [.. p.Replicas.Where(r => !alive.Contains(r))]))]);
        }
        return new KafkaClusterView(clusterId, metadata.ControllerBroker, brokers, topics);
    }

    private static bool TryParse(string? endpoint, out string host, out int port)
    {
        host = "";
        port = 0;
        var colon = endpoint?.LastIndexOf(':') ?? -1;
        if (endpoint is null || colon <= 0 || !int.TryParse(endpoint.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port))
        {
            return false;
        }
        host = endpoint[..colon].Trim('[', ']');
        return true;
    }
}
