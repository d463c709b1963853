using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Orlog.Grains.Hosting;
using Orlog.Grains.Metrics;
using Orlog.Silo.Web;

namespace Orlog.Silo.Metrics;

/// <summary>
/// The silo's instruments beside the broker's (<see cref="BrokerMetrics"/>), in the same "Orlog" meter: open
/// connections per listener, and the groups this broker coordinates (members, committed offsets, lag) as the
/// last sample of the cluster saw them, so that each group is reported by one broker only.
/// </summary>
internal sealed class SiloMetrics : Microsoft.Extensions.Hosting.IHostedService, IDisposable
{
    // Orleans counts the gateway's clients in an up-down counter of its own meter; this listener keeps the sum.
    private const string GatewayClientsInstrument = "orleans-gateway-connected-clients";
    private readonly MeterListener _orleans = new();
    private long _gatewayClients;

    public SiloMetrics(IMeterFactory meters, ClusterSampler sampler, Kafka.KafkaListenerHost kafka, IOptions<BrokerOptions> broker)
    {
        var brokerId = broker.Value.BrokerId;
        var meter = meters.Create(BrokerMetrics.MeterName);
        meter.CreateObservableGauge("kafka.connection.count", () => new[]
        {
            new Measurement<long>(Interlocked.Read(ref _gatewayClients), new KeyValuePair<string, object?>("listener", "gateway")),
            new Measurement<long>(kafka.ConnectionCount, new KeyValuePair<string, object?>("listener", "kafka")),
        }, "{connection}", "Client connections open now: Orleans clients at the gateway, Kafka clients at the Kafka listener");
        IEnumerable<Client.Admin.ConsumerGroupDescription> Coordinated() => sampler.Groups.Where(g => g.Coordinator?.Id == brokerId);
        meter.CreateObservableGauge("kafka.consumer_group.members", () => Coordinated().Select(g => new Measurement<long>(g.Members.Count, Group(g.GroupId))),
            "{member}", "Members of each group this broker coordinates");
        meter.CreateObservableGauge("kafka.consumer_group.offset", () => Coordinated().SelectMany(g => g.Partitions.Where(p => p.CurrentOffset >= 0)
            .Select(p => new Measurement<long>(p.CurrentOffset, Group(g.GroupId), Topic(p.TopicPartition.Topic), Partition(p.TopicPartition.Partition)))),
            "{offset}", "Committed offset of each group and partition (groups this broker coordinates)");
        meter.CreateObservableGauge("kafka.consumer_group.lag", () => Coordinated().SelectMany(g => g.Partitions.Where(p => p.Lag is not null)
            .Select(p => new Measurement<long>(p.Lag!.Value, Group(g.GroupId), Topic(p.TopicPartition.Topic), Partition(p.TopicPartition.Partition)))),
            "{message}", "Records between each group's committed offset and the partition's high watermark (groups this broker coordinates)");
    }

    // A hosted service so that the host creates it at start: its gauges exist from then on.
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _orleans.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == GatewayClientsInstrument)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _orleans.SetMeasurementEventCallback<int>((_, change, _, _) => Interlocked.Add(ref _gatewayClients, change));
        _orleans.Start();
        return Task.CompletedTask;
    }

    public void Dispose() => _orleans.Dispose();

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static KeyValuePair<string, object?> Group(string group) => new("group", group);

    private static KeyValuePair<string, object?> Topic(string topic) => new("topic", topic);

    private static KeyValuePair<string, object?> Partition(int partition) => new("partition", partition);
}
