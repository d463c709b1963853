namespace Orlog.Testing.Tests;

public sealed class SendOrderTests
{
    [Fact]
    public void RecordsStoredInAnOrderOtherThanSentAreOutOfOrder()
    {
        var history = new History();
        history.SendStarted("a", "x1", key: "k", partition: 2);
        history.SendStarted("a", "x2", key: "k", partition: 2);
        history.SendStarted("a", "x3", key: "k", partition: 2);
        history.SendAcknowledged("x1", partition: 2, offset: 0);
        history.SendAcknowledged("x3", partition: 2, offset: 1);
        history.SendAcknowledged("x2", partition: 2, offset: 2);
        Read(history, partition: 2, "x1", "x3", "x2");

        var report = HistoryChecker.Check(history);

        Runs.AssertOnly(report, AnomalyKind.OutOfOrder, 1);
        Assert.Equal(0, report.Errors);
        var example = Assert.Single(report.Examples(AnomalyKind.OutOfOrder));
        Assert.Equal((2, 1L, "x3"), (example.Partition, example.Offset, example.SendId));
        Assert.Contains("after x2", example.Detail);
    }

    [Fact]
    public void TwoProducersInterleavedInOnePartitionAreInOrder()
    {
        var history = new History();
        foreach (var id in new[] { "a1", "b1", "a2", "b2" })
        {
            history.SendStarted(id[..1], id, key: null, partition: 0);
        }
        string[] stored = ["b1", "b2", "a1", "a2"];
        for (var offset = 0; offset < stored.Length; offset++)
        {
            history.SendAcknowledged(stored[offset], partition: 0, offset);
        }
        Read(history, partition: 0, stored);

        var report = HistoryChecker.Check(history);

        Assert.All(AnomalyKinds.All, kind => Assert.Equal(0, report.Count(kind)));
    }

    [Fact]
    public void OneProducerToTwoPartitionsIsJudgedPartitionByPartition()
    {
        var history = new History();
        history.SendStarted("a", "x", key: null, partition: null);
        history.SendStarted("a", "y", key: null, partition: null);
        history.SendAcknowledged("x", partition: 0, offset: 5);
        history.SendAcknowledged("y", partition: 1, offset: 0);
        history.FinalRead(partition: 0, offset: 5, "x");
        history.FinalRead(partition: 1, offset: 0, "y");

        var report = HistoryChecker.Check(history);

        Assert.Equal(0, report.Count(AnomalyKind.OutOfOrder));
    }

    // Every record polled by c1 in generation 1 and found by the final read, at offsets from 0 in the order given.
    private static void Read(History history, int partition, params string[] sendIds)
    {
        for (var offset = 0; offset < sendIds.Length; offset++)
        {
            history.Polled("c1", generation: 1, partition, offset, sendIds[offset]);
        }
        for (var offset = 0; offset < sendIds.Length; offset++)
        {
            history.FinalRead(partition, offset, sendIds[offset]);
        }
    }
}
