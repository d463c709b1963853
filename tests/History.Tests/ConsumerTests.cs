namespace Orlog.Testing.Tests;

public sealed class ConsumerTests
{
    [Fact]
    public void PollGoingBackwardsWithinOneAssignmentIsNonMonotonic()
    {
        var history = Runs.Clean();
        history.Polled("c1", generation: 1, partition: 0, offset: 5, Runs.Id(0, 5));

        var report = HistoryChecker.Check(history);

        Runs.AssertOnly(report, AnomalyKind.NonMonotonic, 1);
        Assert.Equal(1, report.Errors);
        var example = Assert.Single(report.Partitions[0].Examples(AnomalyKind.NonMonotonic));
        Assert.Equal(new Anomaly(AnomalyKind.NonMonotonic, 0, 5, "p0-5", "consumer c1 (generation 1) polled 5 after 19"), example);
    }

    [Fact]
    public void PollRepeatingAnOffsetWithinOneAssignmentIsNonMonotonic()
    {
        var history = Runs.Clean();
        history.Polled("c2", generation: 1, partition: 1, offset: 19, Runs.Id(1, 19));

        var report = HistoryChecker.Check(history);

        Runs.AssertOnly(report, AnomalyKind.NonMonotonic, 1);
        Assert.Equal(1, Assert.Single(report.Examples(AnomalyKind.NonMonotonic)).Partition);
    }

    [Fact]
    public void NewAssignmentResetsMonotonicity()
    {
        var history = Runs.Clean();
        history.Assigned("c1", partition: 0, generation: 2);
        history.Polled("c1", generation: 2, partition: 0, offset: 10, Runs.Id(0, 10));
        history.Polled("c1", generation: 2, partition: 0, offset: 11, Runs.Id(0, 11));
        // A poll in a newer generation begins a new assignment even when the Assigned event was not recorded.
        history.Polled("c1", generation: 3, partition: 0, offset: 4, Runs.Id(0, 4));

        var report = HistoryChecker.Check(history);

        Assert.All(AnomalyKinds.All, kind => Assert.Equal(0, report.Count(kind)));
    }

    [Fact]
    public void SeekResetsMonotonicity()
    {
        var history = Runs.Clean();
        history.Seeked("c1", partition: 0, generation: 1, offset: 3);
        history.Polled("c1", generation: 1, partition: 0, offset: 3, Runs.Id(0, 3));

        var report = HistoryChecker.Check(history);

        Assert.All(AnomalyKinds.All, kind => Assert.Equal(0, report.Count(kind)));
    }

    [Fact]
    public void JumpingOverStoredRecordsIsSkipped()
    {
        var history = StoredAt(partition: 0, 0, 1, 2, 3, 4, 5, 6, 7);
        Poll(history, "c1", generation: 1, partition: 0, 0, 1, 2, 6, 7);

        var report = HistoryChecker.Check(history);

        Assert.Equal(3, report.Count(AnomalyKind.Skipped));
        Assert.Equal(0, report.Errors);
        var example = Assert.Single(report.Partitions[0].Examples(AnomalyKind.Skipped));
        Assert.Equal(new Anomaly(AnomalyKind.Skipped, 0, 3, "p0-3",
            "consumer c1 (generation 1) jumped from 2 to 6 over 3 stored record(s) it never saw"), example);
    }

    [Fact]
    public void JumpingOverOffsetsThatHoldNoRecordsIsNotSkipped()
    {
        // Offsets 3 to 5 were truncated, compacted or held control records: the final read finds nothing there.
        var history = StoredAt(partition: 0, 0, 1, 2, 6, 7);
        Poll(history, "c1", generation: 1, partition: 0, 0, 1, 2, 6, 7);

        var report = HistoryChecker.Check(history);

        Assert.All(AnomalyKinds.All, kind => Assert.Equal(0, report.Count(kind)));
    }

    [Fact]
    public void OnlyTheStoredRecordsInAGapCountAsSkipped()
    {
        var history = StoredAt(partition: 1, 0, 1, 2, 4, 6);
        Poll(history, "c1", generation: 1, partition: 1, 0, 6);

        var report = HistoryChecker.Check(history);

        Assert.Equal(3, report.Count(AnomalyKind.Skipped));
        var example = Assert.Single(report.Examples(AnomalyKind.Skipped));
        Assert.Equal((1, 1L, "p1-1"), (example.Partition, example.Offset, example.SendId));
    }

    [Fact]
    public void JumpingOverRecordsSeenEarlierInTheAssignmentIsNotSkipped()
    {
        var history = StoredAt(partition: 0, 0, 1, 2, 3, 4, 5);
        Poll(history, "c1", generation: 1, partition: 0, 0, 1, 2, 3);
        history.Seeked("c1", partition: 0, generation: 1, offset: 0);
        Poll(history, "c1", generation: 1, partition: 0, 0, 4, 5);

        var report = HistoryChecker.Check(history);

        Assert.All(AnomalyKinds.All, kind => Assert.Equal(0, report.Count(kind)));
    }

    [Fact]
    public void JumpAfterASeekOrIntoANewAssignmentIsNotSkipped()
    {
        var history = StoredAt(partition: 0, 0, 1, 2, 3, 4, 5, 6, 7);
        Poll(history, "c1", generation: 1, partition: 0, 0, 1);
        history.Seeked("c1", partition: 0, generation: 1, offset: 4);
        Poll(history, "c1", generation: 1, partition: 0, 4, 5);
        history.Revoked("c1", partition: 0, generation: 1);
        history.Assigned("c1", partition: 0, generation: 2);
        Poll(history, "c1", generation: 2, partition: 0, 7);

        var report = HistoryChecker.Check(history);

        Assert.Equal(0, report.Count(AnomalyKind.Skipped));
        Assert.Equal(0, report.Errors);
        Assert.Equal(3, report.Count(AnomalyKind.Unseen));
    }

    // Sends "p{partition}-{offset}" acknowledged at those offsets and found there by the final read.
    private static History StoredAt(int partition, params long[] offsets)
    {
        var history = new History();
        foreach (var offset in offsets)
        {
            history.Stored(Runs.Id(partition, offset), partition, offset);
        }
        return history;
    }

    private static void Poll(History history, string consumer, int generation, int partition, params long[] offsets)
    {
        foreach (var offset in offsets)
        {
            history.Polled(consumer, generation, partition, offset, Runs.Id(partition, offset));
        }
    }
}
