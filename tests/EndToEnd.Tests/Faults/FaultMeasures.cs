using Orlog.Testing;

namespace Orlog.EndToEnd.Tests.Faults;

/// <summary>
/// What one fault cost, read from the history afterwards: for each partition it touched, how long it acknowledged
/// no write: the longest gap between two acknowledgements of it (the injection counting as one) from the injection
/// to its first acknowledgement after the recovery, since answers already on their way come in just after a kill;
/// the consumers' catch-up, the time from the recovery until the consumers had polled every record acknowledged
/// between the injection and the recovery; and the sends that failed meanwhile.
/// </summary>
public sealed record FaultMeasures(FaultRun Run, IReadOnlyDictionary<int, TimeSpan?> Unavailable, TimeSpan? CatchUp, int FailedSends)
{
    /// <summary>The longest unavailability over the partitions touched (null if one never acknowledged again).</summary>
    public TimeSpan? LongestUnavailable => Unavailable.Values.Any(v => v is null) ? null : Unavailable.Values.DefaultIfEmpty(TimeSpan.Zero).Max();

    public static FaultMeasures Of(FaultRun run, IReadOnlyList<HistoryEvent> events, TimeSpan end)
    {
        var unavailable = run.Partitions.ToDictionary(p => p, p => LongestGap(run, events.OfType<SendAcknowledged>().Where(a => a.Partition == p)));
        var acknowledged = events.OfType<SendAcknowledged>().Where(a => a.At > run.Injected && a.At <= run.Recovered).Select(a => a.SendId).ToHashSet();
        var firstPolls = new Dictionary<string, TimeSpan>();
        foreach (var poll in events.OfType<Polled>())
        {
            if (acknowledged.Contains(poll.SendId))
            {
                firstPolls.TryAdd(poll.SendId, poll.At);
            }
        }
        TimeSpan? catchUp = firstPolls.Count < acknowledged.Count
            ? null
            : firstPolls.Values.Select(at => at - run.Recovered).Append(TimeSpan.Zero).Max();
        var failed = events.Where(e => e.At >= run.Injected && e.At <= (run.Recovered > TimeSpan.Zero ? run.Recovered : end))
            .Count(e => e is SendRefused or SendUnknown);
        return new FaultMeasures(run, unavailable, catchUp, failed);
    }

    // Null when the partition acknowledged nothing after the recovery.
    private static TimeSpan? LongestGap(FaultRun run, IEnumerable<SendAcknowledged> acknowledgements)
    {
        var previous = run.Injected;
        var longest = TimeSpan.Zero;
        foreach (var ack in acknowledgements)
        {
            if (ack.At <= run.Injected)
            {
                continue;
            }
            longest = ack.At - previous > longest ? ack.At - previous : longest;
            if (ack.At > run.Recovered)
            {
                return longest;
            }
            previous = ack.At;
        }
        return null;
    }

    public override string ToString() =>
        $"{Run.Kind} {(Run.Victim > 0 ? $"broker {Run.Victim}" : "PostgreSQL")}: unavailable " +
        string.Join(", ", Unavailable.Select(u => $"p{u.Key} {Seconds(u.Value)}")) +
        $"; consumers caught up {Seconds(CatchUp)} after the recovery ({(Run.Recovered - Run.Injected).TotalSeconds:F1} s after the injection); {FailedSends} sends failed meanwhile";

    private static string Seconds(TimeSpan? value) => value is { } v ? $"{v.TotalSeconds:F2} s" : "never";
}
