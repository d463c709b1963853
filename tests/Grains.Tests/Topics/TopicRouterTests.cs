using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orlog.Grains.Topics;
using Orlog.Records;

namespace Orlog.Grains.Tests.Topics;

/// <summary>The topic router on a silo: many callers' records in a few batches, each call told where its records went.</summary>
public sealed class TopicRouterTests : IAsyncLifetime
{
    private BrokerCluster _cluster = null!;

    public async Task InitializeAsync() =>
        _cluster = await BrokerCluster.StartAsync(services: services => services.Configure<TopicRouterOptions>(options => options.LingerMs = 5));

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_thousand_calls_of_one_record_land_in_a_few_batches_and_each_call_gets_its_offset()
    {
        await _cluster.CreateTopicAsync("routed", 1);
        var router = _cluster.Client.GetGrain<ITopicRouterGrain>("routed");
        var calls = Enumerable.Range(0, 1000)
            .Select(i => router.Produce([new RoutedRecord(Encoding.UTF8.GetBytes("key"), Encoding.UTF8.GetBytes($"value-{i}"), [new RoutedHeader("n", [(byte)(i % 256)])], 1_000 + i)]))
            .ToArray();
        var results = await Task.WhenAll(calls);

        Assert.All(results, r => Assert.Equal(ErrorCode.None, Assert.Single(r).Error));
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i), results.Select(r => r[0].BaseOffset).Order());
        var fetched = await _cluster.FetchAsync("routed", 0, 0, maxBytes: 8 << 20);
        var stored = Batches.Read(fetched.Records).ToDictionary(r => r.Offset, r => r.Value);
        for (var i = 0; i < 1000; i++)
        {
            // Each call's offset holds its record.
            Assert.Equal($"value-{i}", stored[results[i][0].BaseOffset]);
        }
        var batches = 0;
        foreach (var _ in new RecordBatchEnumerator(fetched.Records))
        {
            batches++;
        }
        Assert.True(batches <= 100, $"{batches} batches for 1,000 one-record calls");
    }

    [Fact]
    public async Task A_calls_records_go_to_their_keys_partitions_in_order()
    {
        await _cluster.CreateTopicAsync("keyed-routed", 3);
        var router = _cluster.Client.GetGrain<ITopicRouterGrain>("keyed-routed");
        var records = Enumerable.Range(0, 30).Select(i => new RoutedRecord(Encoding.UTF8.GetBytes($"k{i % 5}"), Encoding.UTF8.GetBytes($"v{i}"), [], 0)).ToArray();
        var results = await router.Produce(records);

        Assert.Equal(30, results.Sum(r => r.Count));
        foreach (var result in results)
        {
            Assert.Equal(ErrorCode.None, result.Error);
            var expected = records.Where(r => Murmur2Partitioner.Partition(r.Key, 3) == result.Partition).Select(r => Encoding.UTF8.GetString(r.Value!));
            var fetched = await _cluster.FetchAsync("keyed-routed", result.Partition, result.BaseOffset);
            Assert.Equal(expected, Batches.Read(fetched.Records).Where(r => r.Offset >= result.BaseOffset).Take(result.Count).Select(r => r.Value));
        }
    }

    [Fact]
    public async Task A_topic_that_does_not_exist_is_refused_with_its_kafka_error()
    {
        var router = _cluster.Client.GetGrain<ITopicRouterGrain>("no-such-topic");
        var error = await Assert.ThrowsAsync<KafkaException>(() => router.Produce([new RoutedRecord(null, [1], [], 0)]));
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, error.Code);
    }
}
