namespace Orlog.Testing;

public static partial class HistoryChecker
{
    // Walks each consumer's polls in the order they happened. Within one assignment (a generation, from
    // Assigned or the first poll of a new generation until Revoked) and between seeks, each poll must be
    // past the one before; and the final read must hold no record strictly between two consecutive polls
    // that the consumer did not see in that assignment. Offsets between them that hold nothing (compacted,
    // aborted, truncated) are not skips.
    private static void CheckConsumers(HistoryIndex index, Findings findings)
    {
        var assignments = new Dictionary<(string Consumer, int Partition), Assignment>();
        foreach (var e in index.Events)
        {
            switch (e)
            {
                case Assigned a:
                    assignments[(a.Consumer, a.Partition)] = new Assignment(a.Generation);
                    break;
                case Revoked r:
                    assignments.Remove((r.Consumer, r.Partition));
                    break;
                case Seeked s when assignments.TryGetValue((s.Consumer, s.Partition), out var sought):
                    sought.Last = null;
                    break;
                case Polled p:
                    if (!assignments.TryGetValue((p.Consumer, p.Partition), out var assignment)
                        || assignment.Generation != p.Generation)
                    {
                        assignment = new Assignment(p.Generation);
                        assignments[(p.Consumer, p.Partition)] = assignment;
                    }
                    CheckPoll(index, findings, assignment, p);
                    break;
            }
        }
    }

    private static void CheckPoll(HistoryIndex index, Findings findings, Assignment assignment, Polled poll)
    {
        if (assignment.Last is { } last)
        {
            if (poll.Offset <= last)
            {
                findings.Add(AnomalyKind.NonMonotonic, poll.Partition, poll.Offset, poll.SendId,
                    $"consumer {poll.Consumer} (generation {poll.Generation}) polled {poll.Offset} after {last}");
            }
            else if (poll.Offset > last + 1 && index.FinalOffsets.TryGetValue(poll.Partition, out var stored))
            {
                CheckJump(index, findings, assignment, poll, last, stored);
            }
        }
        assignment.Seen.Add(poll.Offset);
        assignment.Last = poll.Offset;
    }

    private static void CheckJump(HistoryIndex index, Findings findings, Assignment assignment, Polled poll, long from, long[] stored)
    {
        var i = Array.BinarySearch(stored, from + 1);
        long skipped = 0, first = -1;
        for (i = i < 0 ? ~i : i; i < stored.Length && stored[i] < poll.Offset; i++)
        {
            if (!assignment.Seen.Contains(stored[i]) && skipped++ == 0)
            {
                first = stored[i];
            }
        }
        if (skipped > 0)
        {
            findings.Add(AnomalyKind.Skipped, poll.Partition, first, index.FinalAt[(poll.Partition, first)],
                $"consumer {poll.Consumer} (generation {poll.Generation}) jumped from {from} to {poll.Offset} over {skipped} stored record(s) it never saw",
                skipped);
        }
    }

    /// <summary>One consumer's hold on one partition: the offsets it has polled, and the last since any seek.</summary>
    private sealed class Assignment(int generation)
    {
        public int Generation { get; } = generation;

        public long? Last { get; set; }

        public HashSet<long> Seen { get; } = [];
    }
}
