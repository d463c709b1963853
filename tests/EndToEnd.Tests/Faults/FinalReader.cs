using System.Diagnostics;
using Orlog.Client;
using Orlog.Testing;

namespace Orlog.EndToEnd.Tests.Faults;

/// <summary>The checker's final read: every partition from its first offset up to the end given, into the history.</summary>
public static class FinalReader
{
    public static async Task ReadAsync(History history, string topic, IReadOnlyDictionary<int, long> ends, Func<ClientConfig, ClientConfig> settings, TimeSpan deadline)
    {
        var positions = ends.Keys.ToDictionary(p => p, _ => 0L);
        await using var consumer = await new ConsumerBuilder<Null, byte[]>((ConsumerConfig)settings(new ConsumerConfig { EnableAutoCommit = false })).BuildAsync();
        consumer.Assign(ends.Keys.Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var clock = Stopwatch.StartNew();
        while (positions.Any(p => p.Value < ends[p.Key]))
        {
            if (clock.Elapsed > deadline)
            {
                Assert.Fail($"the final read did not finish within {deadline.TotalSeconds:F0} s: " +
                    string.Join(", ", positions.Select(p => $"p{p.Key} at {p.Value} of {ends[p.Key]}")));
            }
            if (await consumer.ConsumeAsync(TimeSpan.FromSeconds(1)) is { Message.Value: { } value } result && result.Offset.Value < ends[result.Partition])
            {
                history.FinalRead(result.Partition, result.Offset.Value, SendValues.SendId(value));
                positions[result.Partition] = Math.Max(positions[result.Partition], result.Offset.Value + 1);
            }
        }
    }
}
