using System.Globalization;
using Microsoft.Extensions.Configuration;
using Orlog.Benchmarks.Streaming;
using Orlog.Grains.Hosting;

namespace Orlog.Benchmarks.Compare.Peers;

/// <summary>
/// Orleans streams on Orlog (issue 17): the same silo, client and driver as the memory provider's peer
/// (<see cref="OrleansStreamsDriver"/>), with the Orlog stream provider instead, over an embedded Orlog broker in that
/// silo (data on local disk). Every run's streams are in one namespace, "compare", whose topic is created on first use
/// with <see cref="Partitions"/> partitions; a run's stream is the key "&lt;run&gt;/&lt;stream&gt;". An
/// OnNextBatchAsync from the client goes to the topic's router, which appends it with acks=all.
/// </summary>
internal sealed class OrlogStreamsPeer : IPeer
{
    public const string ProviderName = "orlog";

    public const string Namespace = "compare";

    /// <summary>Partitions of the topic, so queues of the provider: as many as the memory peer has queues.</summary>
    public const int Partitions = OrleansStreamsPeer.Queues;

    private OrleansStreamsDriver? _driver;

    public string Name => "Orleans streams (Orlog)";

    public string AckPromise => "page cache; on disk within 1 s";

    public string Description { get; private set; } = "";

    public bool Supports(WorkloadKind kind) => true;

    public async Task StartAsync(PeerEnvironment environment, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Orlog:DataDirectory"] = Path.Combine(environment.Directory, "data") })
            .Build();
        _driver = new OrleansStreamsDriver(
            ProviderName,
            silo => silo.AddOrlogBroker(configuration).AddOrlogStreams(ProviderName, Configure),
            client => client.AddOrlogStreams(ProviderName, Configure),
            (stream, partition) => StreamId.Create(Namespace, stream + "/" + partition.ToString(CultureInfo.InvariantCulture)));
        await _driver.StartAsync(environment, cancellationToken).ConfigureAwait(false);
        Description =
            $"Orlog's stream provider (Orlog.Streaming, on Microsoft.Orleans.Streaming {OrleansStreamsPeer.OrleansVersion()}): AddOrlogStreams on an " +
            $"embedded Orlog broker in the same silo as the memory peer's (data on local disk, flush.ms=1000), one topic of {Partitions} partitions " +
            "(one queue each), the same client, producers and subscribers as the memory peer: OnNextBatchAsync from the client goes to the " +
            "topic's router grain, which appends it with acks=all; the pulling agents long-poll the partitions and deliver to the client's " +
            $"subscriptions, up to {OrleansStreamsDriver.BatchRecords} events of a stream per delivery call (DeliveryBatchSize, as the memory peer's batches); offsets committed under the group \"orlog\". Read rate measured as delivery during produce, as for the memory peer.";
    }

    private static void Configure(Orlog.Streaming.OrlogStreamOptions options)
    {
        options.Namespaces.Add(Namespace);
        options.Partitions = Partitions;
        options.AutoCreateTopics = true;
        // The memory peer hands a subscriber a batch of BatchRecords events per delivery call; the same here.
        options.DeliveryBatchSize = OrleansStreamsDriver.BatchRecords;
    }

    private OrleansStreamsDriver Driver => _driver ?? throw new InvalidOperationException("The Orlog streams peer is not started.");

    public Task<Rate> ProduceAsync(string stream, Workload workload, RecordGenerator records, CancellationToken cancellationToken) =>
        Driver.ProduceAsync(stream, workload, records, cancellationToken);

    public Task<Rate> ConsumeAsync(string stream, Workload workload, CancellationToken cancellationToken) =>
        Driver.ConsumeAsync(stream, workload, cancellationToken);

    public Task<Latency> LatencyAsync(string stream, int ratePerSecond, TimeSpan duration, RecordGenerator records, CancellationToken cancellationToken) =>
        Driver.LatencyAsync(stream, ratePerSecond, duration, records, cancellationToken);

    public ValueTask DisposeAsync() => _driver?.DisposeAsync() ?? ValueTask.CompletedTask;
}
