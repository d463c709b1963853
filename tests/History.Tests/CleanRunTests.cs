namespace Orlog.Testing.Tests;

public sealed class CleanRunTests
{
    [Fact]
    public void CleanRunHasNoAnomaliesAnywhere()
    {
        var report = HistoryChecker.Check(Runs.Clean());

        Assert.Equal(0, report.Errors);
        Assert.All(AnomalyKinds.All, kind => Assert.Equal(0, report.Count(kind)));
        Assert.Equal(new HistoryTotals(Sent: 40, Acknowledged: 40, Refused: 0, Unknown: 0, Polled: 40, FinalRead: 40), report.Totals);
        Assert.Equal([0, 1], report.Partitions.Select(p => p.Partition));
        Assert.All(report.Partitions, p => Assert.Equal((20, 20), (p.Acknowledged, p.FinalRead)));
    }

    [Fact]
    public void EmptyHistoryIsClean()
    {
        var report = HistoryChecker.Check(new History());

        Assert.Equal(0, report.Errors);
        Assert.Empty(report.Partitions);
        Assert.Contains("total", report.ToTable());
    }
}
