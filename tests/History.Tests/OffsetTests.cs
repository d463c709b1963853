namespace Orlog.Testing.Tests;

public sealed class OffsetTests
{
    [Fact]
    public void OneSendReadAtTwoOffsetsIsDuplicated()
    {
        var history = Runs.Clean();
        history.SendStarted("a", "d", key: null, partition: 0);
        history.SendAcknowledged("d", partition: 0, offset: 21);
        history.Polled("c1", generation: 1, partition: 0, offset: 20, "d");
        history.Polled("c1", generation: 1, partition: 0, offset: 21, "d");
        history.FinalRead(partition: 0, offset: 20, "d");
        history.FinalRead(partition: 0, offset: 21, "d");

        var report = HistoryChecker.Check(history);

        Runs.AssertOnly(report, AnomalyKind.Duplicated, 1);
        Assert.Equal(1, report.Errors);
        var example = Assert.Single(report.Partitions[0].Examples(AnomalyKind.Duplicated));
        Assert.Equal(new Anomaly(AnomalyKind.Duplicated, 0, 20, "d", "read at p0@20, p0@21"), example);
    }

    [Fact]
    public void AcknowledgementsWithoutAnOffsetClaimNoOffsetButMustStillBeRead()
    {
        // Retries the broker knew only by their producer sequence are acknowledged without an offset (the SDK
        // reports Offset.Unset, -1001): two of them are not two sends at one offset.
        var history = Runs.Clean();
        foreach (var (id, offset) in new[] { ("s1", 20L), ("s2", 21L) })
        {
            history.SendStarted("a", id, key: null, partition: 0);
            history.SendAcknowledged(id, partition: 0, offset: -1001);
            history.Polled("c1", generation: 1, partition: 0, offset, id);
            history.FinalRead(partition: 0, offset, id);
        }
        history.SendStarted("a", "s3", key: null, partition: 0);
        history.SendAcknowledged("s3", partition: 0, offset: -1001);

        var report = HistoryChecker.Check(history);

        Assert.Equal(0, report.Count(AnomalyKind.InconsistentOffset));
        Assert.Equal(0, report.Count(AnomalyKind.OutOfOrder));
        Assert.Equal("s3", Assert.Single(report.Examples(AnomalyKind.Lost)).SendId);
    }

    [Fact]
    public void RereadingTheSameOffsetAfterARebalanceIsNotDuplicated()
    {
        var history = Runs.Clean();
        history.Revoked("c1", partition: 0, generation: 1);
        history.Assigned("c2", partition: 0, generation: 2);
        for (var offset = 15; offset < 20; offset++)
        {
            history.Polled("c2", generation: 2, partition: 0, offset, Runs.Id(0, offset));
        }

        var report = HistoryChecker.Check(history);

        Assert.All(AnomalyKinds.All, kind => Assert.Equal(0, report.Count(kind)));
    }

    [Fact]
    public void TwoConsumersReadingDifferentSendsAtOneOffsetIsInconsistent()
    {
        var history = new History();
        foreach (var id in new[] { "u1", "u2" })
        {
            history.SendStarted("a", id, key: null, partition: 3);
            history.SendUnknown(id, "client timed out");
        }
        history.Polled("c1", generation: 1, partition: 3, offset: 7, "u1");
        history.Polled("c2", generation: 2, partition: 3, offset: 7, "u2");

        var report = HistoryChecker.Check(history);

        Runs.AssertOnly(report, AnomalyKind.InconsistentOffset, 1);
        var example = Assert.Single(report.Partitions.Single(p => p.Partition == 3).Examples(AnomalyKind.InconsistentOffset));
        Assert.Equal((7L, "u2"), (example.Offset, example.SendId));
        Assert.Equal("consumer c1 (generation 1) says u1, consumer c2 (generation 2) says u2", example.Detail);
    }

    [Fact]
    public void ConsumerAndFinalReadDisagreeingIsInconsistent()
    {
        var history = Runs.Clean();
        history.SendStarted("a", "u", key: null, partition: 1);
        history.SendUnknown("u", "NOT_ENOUGH_REPLICAS_AFTER_APPEND");
        // c9 read u at 5 from a deposed leader that later truncated it.
        history.Polled("c9", generation: 1, partition: 1, offset: 5, "u");

        var report = HistoryChecker.Check(history);

        Runs.AssertOnly(report, AnomalyKind.InconsistentOffset, 1);
        var example = Assert.Single(report.Partitions[1].Examples(AnomalyKind.InconsistentOffset));
        Assert.Equal((1, 5L, "u"), (example.Partition, example.Offset, example.SendId));
    }

    [Fact]
    public void AcknowledgedOffsetHoldingAnotherSendIsInconsistent()
    {
        var history = new History();
        history.SendStarted("a", "x", key: null, partition: 0);
        history.SendAcknowledged("x", partition: 0, offset: 3);
        history.SendStarted("b", "y", key: null, partition: 0);
        history.SendUnknown("y", "client died");
        history.FinalRead(partition: 0, offset: 3, "y");

        var report = HistoryChecker.Check(history);

        Assert.Equal(1, report.Count(AnomalyKind.InconsistentOffset));
        Assert.Equal(1, report.Count(AnomalyKind.Lost));
        Assert.Equal(2, report.Errors);
        var example = Assert.Single(report.Examples(AnomalyKind.InconsistentOffset));
        Assert.Equal((0, 3L, "y", "acknowledgement says x, final read says y"),
            (example.Partition, example.Offset, example.SendId, example.Detail));
    }

    [Fact]
    public void EachDisagreeingOffsetCountsOnce()
    {
        var history = Runs.Clean();
        foreach (var id in new[] { "u1", "u2" })
        {
            history.SendStarted("a", id, key: null, partition: 0);
            history.SendUnknown(id, "client timed out");
        }
        history.Polled("c8", generation: 1, partition: 0, offset: 4, "u1");
        history.Polled("c9", generation: 1, partition: 0, offset: 4, "u2");

        var report = HistoryChecker.Check(history);

        Runs.AssertOnly(report, AnomalyKind.InconsistentOffset, 1);
    }
}
