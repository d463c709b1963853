namespace Orlog.Testing.Tests;

/// <summary>Shorthands for hand-made histories.</summary>
internal static class Runs
{
    /// <summary>A send acknowledged at the partition and offset and found there by the final read.</summary>
    public static void Stored(this History history, string sendId, int partition, long offset, string producer = "p1")
    {
        history.SendStarted(producer, sendId, key: null, partition);
        history.SendAcknowledged(sendId, partition, offset);
        history.FinalRead(partition, offset, sendId);
    }

    /// <summary>
    /// A clean run: two producers send ten records each to partitions 0 and 1; c1 holds partition 0 and c2
    /// partition 1 in generation 1 and poll every record; the final read finds them all. Send ids are
    /// "p{partition}-{offset}", offsets 0 to 19 per partition.
    /// </summary>
    public static History Clean()
    {
        var history = new History();
        history.Assigned("c1", partition: 0, generation: 1);
        history.Assigned("c2", partition: 1, generation: 1);
        for (var offset = 0; offset < 20; offset++)
        {
            for (var partition = 0; partition < 2; partition++)
            {
                var id = Id(partition, offset);
                history.SendStarted(offset % 2 == 0 ? "a" : "b", id, key: $"k{partition}", partition);
                history.SendAcknowledged(id, partition, offset);
                history.Polled(partition == 0 ? "c1" : "c2", generation: 1, partition, offset, id);
            }
        }
        for (var partition = 0; partition < 2; partition++)
        {
            for (var offset = 0; offset < 20; offset++)
            {
                history.FinalRead(partition, offset, Id(partition, offset));
            }
        }
        return history;
    }

    public static string Id(int partition, long offset) => $"p{partition}-{offset}";

    public static void AssertOnly(HistoryReport report, AnomalyKind kind, long count)
    {
        foreach (var other in AnomalyKinds.All)
        {
            Assert.True(other == kind || report.Count(other) == 0,
                $"expected only {kind.Label()}, but found {report.Count(other)} {other.Label()}:\n{report.ToTable()}");
        }
        Assert.True(report.Count(kind) == count, $"expected {count} {kind.Label()}:\n{report.ToTable()}");
    }
}
