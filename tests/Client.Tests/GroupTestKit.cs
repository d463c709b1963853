using Orlog.Grains;

namespace Orlog.Client.Tests;

/// <summary>What the consumer group tests share: member settings for short sessions, producing, and the group as its coordinator describes it.</summary>
internal static class GroupTestKit
{
    /// <summary>The session of test members: the silo takes sessions down to 500 ms (ClientCluster).</summary>
    public const int SessionTimeoutMs = 1500;

    public static ConsumerConfig Config(string groupId, string clientId, int sessionTimeoutMs = SessionTimeoutMs) => new()
    {
        GroupId = groupId,
        ClientId = clientId,
        SessionTimeoutMs = sessionTimeoutMs,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        EnableAutoCommit = false,
        FetchMaxWaitMs = 100,
    };

    /// <summary>Writes records k{i}/v{i}, i from <paramref name="from"/>, round robin over the partitions.</summary>
    public static async Task ProduceAsync(OrlogClient client, string topic, int partitions, int count, int from = 0)
    {
        await using var producer = new ProducerBuilder<string, string>(new ProducerConfig()).SetClient(client).Build();
        for (var i = from; i < from + count; i++)
        {
            producer.Produce(new TopicPartition(topic, i % partitions), new Message<string, string> { Key = $"k{i}", Value = $"v{i}" });
        }
        await producer.FlushAsync();
    }

    public static Task<GroupDescription> DescribeAsync(this ClientCluster cluster, string groupId) =>
        cluster.Client.GetGrain<IConsumerGroupGrain>(groupId).Describe();

    public static List<TopicPartition> Partitions(string topic, int count) => [.. Enumerable.Range(0, count).Select(p => new TopicPartition(topic, p))];

    /// <summary>The group's committed offsets of <paramref name="partitions"/>, read by a consumer that does not join.</summary>
    public static List<long> Committed(OrlogClient client, string groupId, List<TopicPartition> partitions)
    {
        using var reader = new ConsumerBuilder<string, string>(new ConsumerConfig { GroupId = groupId }).SetClient(client).Build();
        return [.. reader.Committed(partitions, TimeSpan.FromSeconds(10)).Select(o => o.Offset.Value)];
    }

    /// <summary>The next offset after the last record consumed from each partition (-1001, Unset, for none).</summary>
    public static List<long> ConsumedUpTo(IEnumerable<ConsumeResult<string, string>> records, List<TopicPartition> partitions) =>
        [.. partitions.Select(p => records.Where(r => r.TopicPartition == p).Select(r => r.Offset.Value + 1).DefaultIfEmpty(Offset.Unset.Value).Max())];
}
