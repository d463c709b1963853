namespace Orlog.Testing;

/// <summary>
/// Judges a fault test's <see cref="History"/>: finds, per partition, the acknowledged records the final read
/// lacks, sends read twice, offsets two readers disagree on, consumers going backwards or skipping records,
/// refused sends that were written, and measures reordering and consumer lag. See <see cref="AnomalyKind"/>.
/// </summary>
/// <remarks>
/// An unknown send (the client died, timed out, or heard NOT_ENOUGH_REPLICAS_AFTER_APPEND) may or may not be
/// stored: missing, it is not lost; present, it is fine; read at two offsets, it is duplicated like any send.
/// </remarks>
public static partial class HistoryChecker
{
    public static HistoryReport Check(History history, int maxExamples = 5)
    {
        ArgumentNullException.ThrowIfNull(history);
        return Check(history.Events, maxExamples);
    }

    public static HistoryReport Check(IReadOnlyList<HistoryEvent> events, int maxExamples = 5)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentOutOfRangeException.ThrowIfNegative(maxExamples);
        var index = new HistoryIndex(events);
        var findings = new Findings(maxExamples);
        foreach (var partition in index.Partitions)
        {
            findings.For(partition);
        }

        CountAcknowledgedAndRead(index, findings);
        CheckOffsetsAgree(index, findings);
        CheckAcknowledgedSends(index, findings);
        CheckReadSends(index, findings);
        CheckSendOrder(index, findings);
        CheckConsumers(index, findings);
        return new HistoryReport(Totals(index), findings.Partitions);
    }

    private static void CountAcknowledgedAndRead(HistoryIndex index, Findings findings)
    {
        foreach (var send in index.Sends.Values)
        {
            if (send.Outcome == SendOutcome.Acknowledged)
            {
                findings.For(send.Partition).Acknowledged++;
            }
        }
        foreach (var read in index.FinalReads)
        {
            findings.For(read.Partition).FinalRead++;
        }
    }

    // Every claim that a partition and offset holds a send, from acknowledgements, consumers and the final
    // read, must name the same send. Each disagreeing offset counts once.
    private static void CheckOffsetsAgree(HistoryIndex index, Findings findings)
    {
        var claims = new Dictionary<(int, long), (string SendId, string Who)>();
        var flagged = new HashSet<(int, long)>();
        void Claim(int partition, long offset, string sendId, string who)
        {
            if (!claims.TryAdd((partition, offset), (sendId, who))
                && claims[(partition, offset)] is var first && first.SendId != sendId
                && flagged.Add((partition, offset)))
            {
                findings.Add(AnomalyKind.InconsistentOffset, partition, offset, sendId,
                    $"{first.Who} says {first.SendId}, {who} says {sendId}");
            }
        }

        foreach (var send in index.Sends.Values)
        {
            // An acknowledgement without an offset (negative: a retry the broker knew only by its producer
            // sequence, Kafka's DUPLICATE_SEQUENCE_NUMBER) claims no offset; the final read still must hold it.
            if (send.Outcome == SendOutcome.Acknowledged && send.Offset >= 0)
            {
                Claim(send.Partition, send.Offset, send.SendId, "acknowledgement");
            }
        }
        foreach (var poll in index.Polls)
        {
            Claim(poll.Partition, poll.Offset, poll.SendId, $"consumer {poll.Consumer} (generation {poll.Generation})");
        }
        foreach (var read in index.FinalReads)
        {
            Claim(read.Partition, read.Offset, read.SendId, "final read");
        }
    }

    private static void CheckAcknowledgedSends(HistoryIndex index, Findings findings)
    {
        foreach (var send in index.Sends.Values)
        {
            if (send.Outcome != SendOutcome.Acknowledged)
            {
                continue;
            }
            if (!index.FinalOf.ContainsKey(send.SendId))
            {
                findings.Add(AnomalyKind.Lost, send.Partition, send.Offset, send.SendId,
                    $"acknowledged at {send.Offset}, not in the final read");
            }
            if (!index.PolledSendIds.Contains(send.SendId))
            {
                findings.Add(AnomalyKind.Unseen, send.Partition, send.Offset, send.SendId,
                    $"acknowledged at {send.Offset}, no consumer polled it");
            }
        }
    }

    private static void CheckReadSends(HistoryIndex index, Findings findings)
    {
        foreach (var (sendId, places) in index.ReadAt)
        {
            var (partition, offset) = places[0];
            if (places.Count > 1)
            {
                findings.Add(AnomalyKind.Duplicated, partition, offset, sendId,
                    $"read at {string.Join(", ", places.Select(p => $"p{p.Partition}@{p.Offset}"))}");
            }
            if (!index.Sends.TryGetValue(sendId, out var send))
            {
                findings.Add(AnomalyKind.Phantom, partition, offset, sendId, "read, but never sent");
            }
            else if (send.Outcome == SendOutcome.Refused)
            {
                findings.Add(AnomalyKind.RefusedButWritten, partition, offset, sendId,
                    $"refused with {send.Error}, yet read at {offset}");
            }
        }
    }

    // For each producer and partition, acknowledged sends must be stored at offsets rising in send order.
    // Where the final read found the send is where it is stored; failing that, where it was acknowledged.
    private static void CheckSendOrder(HistoryIndex index, Findings findings)
    {
        var highest = new Dictionary<(string, int), (long Offset, string SendId)>();
        foreach (var send in index.SendsInOrder)
        {
            if (send.Outcome != SendOutcome.Acknowledged)
            {
                continue;
            }
            var offset = index.FinalOf.TryGetValue(send.SendId, out var stored) && stored.Partition == send.Partition
                ? stored.Offset
                : send.Offset;
            if (offset < 0)
            {
                continue; // acknowledged without an offset and not found: counted as lost, not ordered
            }
            var key = (send.Producer, send.Partition);
            if (highest.TryGetValue(key, out var before) && offset < before.Offset)
            {
                findings.Add(AnomalyKind.OutOfOrder, send.Partition, offset, send.SendId,
                    $"{send.Producer} sent it after {before.SendId} (stored at {before.Offset}), but it is stored at {offset}");
            }
            else
            {
                highest[key] = (offset, send.SendId);
            }
        }
    }

    private static HistoryTotals Totals(HistoryIndex index)
    {
        long acknowledged = 0, refused = 0, unknown = 0;
        foreach (var send in index.Sends.Values)
        {
            switch (send.Outcome)
            {
                case SendOutcome.Acknowledged: acknowledged++; break;
                case SendOutcome.Refused: refused++; break;
                default: unknown++; break;
            }
        }
        return new HistoryTotals(index.Sends.Count, acknowledged, refused, unknown, index.Polls.Count, index.FinalReads.Count);
    }
}
