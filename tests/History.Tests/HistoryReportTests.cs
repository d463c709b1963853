namespace Orlog.Testing.Tests;

public sealed class HistoryReportTests
{
    [Fact]
    public void CountsAreCompleteButExamplesAreCapped()
    {
        var history = new History();
        for (var offset = 0; offset < 10; offset++)
        {
            history.SendStarted("a", Runs.Id(0, offset), key: null, partition: 0);
            history.SendAcknowledged(Runs.Id(0, offset), partition: 0, offset);
        }

        var report = HistoryChecker.Check(history, maxExamples: 3);

        Assert.Equal(10, report.Count(AnomalyKind.Lost));
        Assert.Equal(["p0-0", "p0-1", "p0-2"], report.Examples(AnomalyKind.Lost).Select(a => a.SendId));
    }

    [Fact]
    public void TableHasARowAPartitionATotalRowTheTotalsAndExamples()
    {
        var history = Runs.Clean();
        history.SendStarted("a", "x", key: null, partition: 1);
        history.SendAcknowledged("x", partition: 1, offset: 20);

        var lines = HistoryChecker.Check(history).ToTable().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(
            [
                "partition  acked  final  lost  duplicated  inconsistent  non-monotonic  refused-written  phantom  skipped  out-of-order  unseen",
                "        0     20     20     0           0             0              0                0        0        0             0       0",
                "        1     21     20     1           0             0              0                0        0        0             0       1",
                "    total     41     40     1           0             0              0                0        0        0             0       1",
                "sent 41, acknowledged 41, refused 0, unknown 0, polled 40, final read 40; errors 1",
                "  lost p1@20 x: acknowledged at 20, not in the final read",
                "  unseen p1@20 x: acknowledged at 20, no consumer polled it",
            ],
            lines);
    }
}
