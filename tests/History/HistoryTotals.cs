namespace Orlog.Testing;

/// <summary>
/// What the run did. A send with no outcome recorded counts as unknown, as does one whose client died,
/// timed out or was told NOT_ENOUGH_REPLICAS_AFTER_APPEND.
/// </summary>
public sealed record HistoryTotals(long Sent, long Acknowledged, long Refused, long Unknown, long Polled, long FinalRead)
{
    public override string ToString() =>
        $"sent {Sent}, acknowledged {Acknowledged}, refused {Refused}, unknown {Unknown}, polled {Polled}, final read {FinalRead}";
}
