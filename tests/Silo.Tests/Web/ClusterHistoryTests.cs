using Orlog.Grains;
using Orlog.Silo.Web;

namespace Orlog.Silo.Tests.Web;

public sealed class ClusterHistoryTests
{
    private static readonly DateTimeOffset _start = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    private static BrokerStatistics Broker(int id, params TopicTrafficTotals[] traffic) => new(id, [], traffic);

    private static BrokerStatistics Leader(int id, string topic, int partition, long highWatermark) =>
        new(id, [new ReplicaStatistics(topic, partition, Leader: true, 0, highWatermark, highWatermark, 100)], []);

    private static readonly Dictionary<string, long> _noGroups = [];

    [Fact]
    public void Rates_are_the_totals_growth_over_the_time_between_samples_summed_over_brokers()
    {
        var history = new ClusterHistory();
        history.Add(_start, [Broker(1, new TopicTrafficTotals("a", 100, 1_000, 0, 0)), Broker(2, new TopicTrafficTotals("a", 10, 100, 5, 50))], _noGroups);
        Assert.Empty(history.Throughput());
        Assert.Equal(TrafficRate.Zero, history.Total());

        history.Add(_start.AddSeconds(5), [Broker(1, new TopicTrafficTotals("a", 600, 6_000, 250, 2_500)), Broker(2, new TopicTrafficTotals("a", 60, 600, 5, 50))], _noGroups);

        var rate = history.Topic("a");
        Assert.Equal(110, rate.RecordsIn, 6);
        Assert.Equal(1_100, rate.BytesIn, 6);
        Assert.Equal(50, rate.RecordsOut, 6);
        Assert.Equal(500, rate.BytesOut, 6);
        var point = Assert.Single(history.Throughput());
        Assert.Equal((_start.AddSeconds(5).ToUnixTimeMilliseconds(), 110.0, 50.0), (point.Time, point.RecordsInPerSec, point.RecordsOutPerSec));
        Assert.Equal(rate, history.Total());
        Assert.Equal(TrafficRate.Zero, history.Topic("unknown"));
    }

    [Fact]
    public void A_restarted_broker_counts_from_zero_and_a_new_one_adds_nothing_until_its_second_sample()
    {
        var history = new ClusterHistory();
        history.Add(_start, [Broker(1, new TopicTrafficTotals("a", 1_000, 0, 0, 0))], _noGroups);
        // Broker 1 restarted (its totals fell to 40); broker 2 appears with a large total, unknown start.
        history.Add(_start.AddSeconds(2), [Broker(1, new TopicTrafficTotals("a", 40, 0, 0, 0)), Broker(2, new TopicTrafficTotals("a", 9_999, 0, 0, 0))], _noGroups);
        Assert.Equal(20, history.Topic("a").RecordsIn, 6);

        history.Add(_start.AddSeconds(4), [Broker(1, new TopicTrafficTotals("a", 60, 0, 0, 0)), Broker(2, new TopicTrafficTotals("a", 10_019, 0, 0, 0))], _noGroups);
        Assert.Equal(20, history.Topic("a").RecordsIn, 6);

        // A topic first written between two samples of a broker seen before counts whole.
        history.Add(_start.AddSeconds(6), [Broker(1, new TopicTrafficTotals("a", 60, 0, 0, 0), new TopicTrafficTotals("b", 300, 0, 0, 0)), Broker(2, new TopicTrafficTotals("a", 10_019, 0, 0, 0))], _noGroups);
        Assert.Equal(150, history.Topic("b").RecordsIn, 6);
        Assert.Equal(0, history.Topic("a").RecordsIn, 6);
    }

    [Fact]
    public void A_partitions_records_in_per_second_follow_its_leaders_high_watermark()
    {
        var history = new ClusterHistory();
        history.Add(_start, [Leader(1, "a", 0, 100)], _noGroups);
        Assert.Null(history.PartitionRecordsIn("a", 0));

        history.Add(_start.AddSeconds(4), [Leader(1, "a", 0, 500)], _noGroups);
        Assert.Equal(100, history.PartitionRecordsIn("a", 0)!.Value, 6);
        Assert.Null(history.PartitionRecordsIn("a", 1));
    }

    [Fact]
    public void The_history_keeps_fifteen_minutes_and_a_groups_lag_goes_with_its_samples()
    {
        var history = new ClusterHistory();
        var time = _start;
        for (var i = 0; i <= 20 * 60 / 5; i++, time = time.AddSeconds(5))
        {
            history.Add(time, [], i < 10 ? new Dictionary<string, long> { ["g"] = i } : _noGroups);
        }
        var throughput = history.Throughput();
        var last = time.AddSeconds(-5);
        Assert.True(throughput[0].Time >= (last - ClusterHistory.Window).ToUnixTimeMilliseconds());
        Assert.Equal(last.ToUnixTimeMilliseconds(), throughput[^1].Time);
        Assert.Equal(15 * 60 / 5 + 1, throughput.Count);
        // The group was last sampled 19 minutes before the end: its points are all gone.
        Assert.Empty(history.Lag("g"));

        var fresh = new ClusterHistory();
        fresh.Add(_start, [], new Dictionary<string, long> { ["g"] = 7 });
        fresh.Add(_start.AddSeconds(5), [], new Dictionary<string, long> { ["g"] = 9 });
        Assert.Equal([9L], fresh.Lag("g").Select(p => p.Lag));
    }
}
