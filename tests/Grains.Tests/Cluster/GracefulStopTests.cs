using Orlog.Grains.Partitions;

namespace Orlog.Grains.Tests.Cluster;

/// <summary>
/// A broker that stops gracefully takes nothing of the other brokers with it. Orleans deactivates, on every silo,
/// the activations whose grain-directory entry the leaving silo held; a broker's grains keep no directory entry
/// (their placement pins them to their broker), so a replica grain busy with a long fetch on broker 1 is not
/// deactivated behind it, which held every later call to it until the fetch ended (up to 30 s under acks=all).
/// </summary>
[Collection(MultiBrokerCollection.Name)]
public sealed class GracefulStopTests
{
    [Fact]
    public async Task TheOtherBrokersGrainsKeepAnsweringWhileABrokerStopsGracefully()
    {
        await using var brokers = await MultiBrokerCluster.StartAsync(3, orleansGrainDirectory: true);
        // 150 single-replica partitions: about 100 replica grains on brokers 1 and 2, so (with the directory) some of
        // them would have had their directory entry on broker 3 (its share of the directory ring is random).
        TopicMetadata? created = null;
        await Eventually.Async(async () => (created = (await brokers.Controller.CreateTopic("pinned", 150, 1, new Dictionary<string, string>())).Topic) is not null,
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100), "for the controller to settle and create the topic (NOT_CONTROLLER from a second activation is retried, as the SDK does)");
        var topic = created!;
        var staying = topic.Partitions.Where(p => p.Leader != 3).ToList();
        Assert.NotEmpty(staying);
        var replicas = staying.Select(p => brokers.Client.GetGrain<IPartitionReplicaGrain>(new ReplicaKey("pinned", p.Partition, p.Leader).ToString())).ToList();

        // Each replica grain waits in a fetch for records that do not come; the ListOffsets answered after it (calls
        // to one activation arrive in order) shows the fetch is running.
        var fetches = replicas.Select(r => r.Fetch(topic.TopicId, 0, 1024, 12_000)).ToList();
        foreach (var answer in await Task.WhenAll(replicas.Select(r => r.ListOffsets(topic.TopicId, -1))))
        {
            Assert.Equal(ErrorCode.None, answer.Error);
        }

        await brokers.Cluster.StopSiloAsync(brokers.Silo(3));

        // Every one keeps answering at once while the others learn that broker 3 left (by gossip, then by reading
        // the membership table): none is deactivating behind its fetch.
        var watched = System.Diagnostics.Stopwatch.StartNew();
        while (watched.Elapsed < TimeSpan.FromSeconds(6))
        {
            var answers = await Task.WhenAll(replicas.Select(r => r.ListOffsets(topic.TopicId, -1))).WaitAsync(TimeSpan.FromSeconds(3));
            Assert.All(answers, answer => Assert.Equal(ErrorCode.None, answer.Error));
            await Task.Delay(100);
        }
        Assert.All(await Task.WhenAll(fetches), fetch => Assert.Equal((ErrorCode.None, 0L), (fetch.Error, fetch.HighWatermark)));
    }
}
