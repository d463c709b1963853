namespace Orlog.Testing.Tests;

public sealed class SendOutcomeTests
{
    [Fact]
    public void AcknowledgedRecordMissingFromTheFinalReadIsLost()
    {
        var history = Runs.Clean();
        history.SendStarted("a", "x", key: null, partition: 1);
        history.SendAcknowledged("x", partition: 1, offset: 20);
        history.Polled("c2", generation: 1, partition: 1, offset: 20, "x");

        var report = HistoryChecker.Check(history);

        Runs.AssertOnly(report, AnomalyKind.Lost, 1);
        Assert.Equal(1, report.Errors);
        var lost = Assert.Single(report.Partitions[1].Examples(AnomalyKind.Lost));
        Assert.Equal(new Anomaly(AnomalyKind.Lost, 1, 20, "x", "acknowledged at 20, not in the final read"), lost);
    }

    [Fact]
    public void UnknownSendMissingFromTheLogIsNotLost()
    {
        var history = Runs.Clean();
        history.SendStarted("a", "u", key: null, partition: 0);
        history.SendUnknown("u", "NOT_ENOUGH_REPLICAS_AFTER_APPEND");

        var report = HistoryChecker.Check(history);

        Assert.Equal(0, report.Errors);
        Assert.All(AnomalyKinds.All, kind => Assert.Equal(0, report.Count(kind)));
        Assert.Equal(1, report.Totals.Unknown);
    }

    [Fact]
    public void UnknownSendFoundOnceIsFine()
    {
        var history = Runs.Clean();
        history.SendStarted("a", "u", key: null, partition: 0);
        history.SendUnknown("u", "client timed out");
        history.Polled("c1", generation: 1, partition: 0, offset: 20, "u");
        history.FinalRead(partition: 0, offset: 20, "u");

        var report = HistoryChecker.Check(history);

        Assert.All(AnomalyKinds.All, kind => Assert.Equal(0, report.Count(kind)));
    }

    [Fact]
    public void UnknownSendFoundTwiceIsDuplicated()
    {
        var history = Runs.Clean();
        history.SendStarted("a", "u", key: null, partition: 0);
        history.SendUnknown("u", "client died");
        history.FinalRead(partition: 0, offset: 20, "u");
        history.FinalRead(partition: 0, offset: 21, "u");

        var report = HistoryChecker.Check(history);

        Runs.AssertOnly(report, AnomalyKind.Duplicated, 1);
        var duplicated = Assert.Single(report.Examples(AnomalyKind.Duplicated));
        Assert.Equal((0, 20L, "u"), (duplicated.Partition, duplicated.Offset, duplicated.SendId));
    }

    [Fact]
    public void SendWithNoOutcomeRecordedCountsAsUnknown()
    {
        var history = Runs.Clean();
        history.SendStarted("a", "pending", key: null, partition: 1);

        var report = HistoryChecker.Check(history);

        Assert.Equal(0, report.Errors);
        Assert.Equal((41, 1), (report.Totals.Sent, report.Totals.Unknown));
    }

    [Fact]
    public void LateAcknowledgementAfterATimeoutMakesTheSendAcknowledged()
    {
        var history = Runs.Clean();
        history.SendStarted("a", "late", key: null, partition: 0);
        history.SendUnknown("late", "client timed out");
        history.SendAcknowledged("late", partition: 0, offset: 20);

        var report = HistoryChecker.Check(history);

        Assert.Equal(1, report.Count(AnomalyKind.Lost));
        Assert.Equal((41, 0), (report.Totals.Acknowledged, report.Totals.Unknown));
    }

    [Fact]
    public void RefusedSendThatWasWrittenIsFlagged()
    {
        var history = Runs.Clean();
        history.SendStarted("a", "r", key: null, partition: 1);
        history.SendRefused("r", "NOT_LEADER_OR_FOLLOWER");
        history.FinalRead(partition: 1, offset: 20, "r");

        var report = HistoryChecker.Check(history);

        Runs.AssertOnly(report, AnomalyKind.RefusedButWritten, 1);
        Assert.Equal(1, report.Errors);
        var example = Assert.Single(report.Partitions[1].Examples(AnomalyKind.RefusedButWritten));
        Assert.Equal((20L, "r"), (example.Offset, example.SendId));
        Assert.Contains("NOT_LEADER_OR_FOLLOWER", example.Detail);
    }

    [Fact]
    public void RefusedSendThatWasNotWrittenIsFine()
    {
        var history = Runs.Clean();
        history.SendStarted("a", "r", key: null, partition: 1);
        history.SendRefused("r", "MESSAGE_TOO_LARGE");

        var report = HistoryChecker.Check(history);

        Assert.All(AnomalyKinds.All, kind => Assert.Equal(0, report.Count(kind)));
        Assert.Equal(1, report.Totals.Refused);
    }

    [Fact]
    public void RecordNoSendWroteIsAPhantom()
    {
        var history = Runs.Clean();
        history.FinalRead(partition: 0, offset: 20, "garbled");

        var report = HistoryChecker.Check(history);

        Runs.AssertOnly(report, AnomalyKind.Phantom, 1);
        Assert.Equal("garbled", Assert.Single(report.Examples(AnomalyKind.Phantom)).SendId);
    }

    [Fact]
    public void AcknowledgedRecordNoConsumerPolledIsUnseenNotAnError()
    {
        var history = Runs.Clean();
        history.Stored("late", partition: 0, offset: 20);

        var report = HistoryChecker.Check(history);

        Runs.AssertOnly(report, AnomalyKind.Unseen, 1);
        Assert.Equal(0, report.Errors);
        var unseen = Assert.Single(report.Examples(AnomalyKind.Unseen));
        Assert.Equal((0, 20L, "late"), (unseen.Partition, unseen.Offset, unseen.SendId));
    }
}
