using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace Orlog.Streaming.Tests;

/// <summary>An Orleans client (through the silo's gateway) that subscribes explicitly and produces with OnNextBatchAsync.</summary>
public sealed class ClientSubscriptionTests
{
    [Fact]
    public async Task A_client_subscriber_receives_every_event_a_client_produced_in_concurrent_batches_once_and_in_order()
    {
        // The topic is created by the first batch (several at once), as the compare run's peer does.
        await using var silo = await StreamSilo.StartAsync(ConfigureLedger);
        using var client = await StartClientAsync(silo.GatewayPort);
        var stream = client.Services.GetRequiredService<IClusterClient>().GetStreamProvider(StreamSilo.Provider)
            .GetStream<OrderEvent>(StreamId.Create("ledger", "book"));
        var received = new List<(int Sequence, long Offset)>();
        var handle = await stream.SubscribeAsync((item, token) =>
        {
            lock (received)
            {
                received.Add((item.Sequence, token?.SequenceNumber ?? -1));
            }
            return Task.CompletedTask;
        });

        // Ten batches of 100 in flight at once, as the compare run's producer does.
        await Task.WhenAll(Enumerable.Range(0, 10).Select(batch =>
            stream.OnNextBatchAsync(Enumerable.Range(batch * 100, 100).Select(i => new OrderEvent("book", i)).ToList())));

        await Eventually.True(() => Count(received) >= 1000, () => $"{Count(received)} of 1000 events delivered");
        // Anything still on its way would show as a duplicate.
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        (int Sequence, long Offset)[] all;
        lock (received)
        {
            all = [.. received];
        }
        Assert.Equal(1000, all.Length);
        Assert.Equal(1000, all.Select(r => r.Sequence).Distinct().Count());
        // Each batch keeps its order; offsets only grow.
        Assert.All(all.Zip(all.Skip(1)), pair => Assert.True(pair.First.Offset < pair.Second.Offset, $"offset {pair.Second.Offset} after {pair.First.Offset}"));
        Assert.All(all.GroupBy(r => r.Sequence / 100), batch => Assert.Equal(batch.Select(r => r.Sequence).Order(), batch.Select(r => r.Sequence)));
        await handle.UnsubscribeAsync();
    }

    [Fact]
    public async Task A_byte_array_event_is_its_record_value_as_it_is_and_reaches_a_byte_array_subscriber_unchanged()
    {
        await using var silo = await StreamSilo.StartAsync(ConfigureLedger);
        var stream = silo.Streams.GetStream<byte[]>(StreamId.Create("ledger", "raw"));
        var received = new List<byte[]>();
        await stream.SubscribeAsync((item, _) =>
        {
            lock (received)
            {
                received.Add(item);
            }
            return Task.CompletedTask;
        });
        byte[] sent = [1, 2, 3, 250];
        await stream.OnNextAsync(sent);

        await Eventually.True(() => Count(received) >= 1, () => "the event delivered");
        Assert.Equal(sent, received.Single());
        // In the log too the value is the bytes, with no format header: a Kafka client reads what was published.
        await using var client = Client.OrlogClient.FromGrainFactory(silo.Grains);
        await using var consumer = await new Client.ConsumerBuilder<string, byte[]>(new Client.ConsumerConfig { GroupId = "check" }).SetClient(client).BuildAsync();
        var partition = Orlog.Records.Murmur2Partitioner.Partition("raw"u8, 8);
        consumer.Assign([new Client.TopicPartitionOffset("ledger", partition, Client.Offset.Beginning)]);
        var record = consumer.Consume(TimeSpan.FromSeconds(10));
        Assert.NotNull(record);
        Assert.Equal(sent, record.Message!.Value);
        Assert.False(record.Message.Headers!.TryGetLastBytes(StreamRecordFormat.FormatHeader, out _));
    }

    private static void ConfigureLedger(OrlogStreamOptions options)
    {
        options.Namespaces.Add("ledger");
        options.Partitions = 8;
        options.AutoCreateTopics = true;
    }

    private static int Count<T>(List<T> received)
    {
        lock (received)
        {
            return received.Count;
        }
    }

    private static async Task<IHost> StartClientAsync(int gatewayPort)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client => client
            .UseLocalhostClustering(gatewayPort, serviceId: "orlog", clusterId: "orlog")
            .AddOrlogStreams(StreamSilo.Provider, ConfigureLedger));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
