namespace Orlog.Testing;

public static class AnomalyKinds
{
    /// <summary>Every kind, in the order the report shows them.</summary>
    public static IReadOnlyList<AnomalyKind> All { get; } = Enum.GetValues<AnomalyKind>();

    /// <summary>Whether the kind must never happen: it counts toward <see cref="HistoryReport.Errors"/>.</summary>
    public static bool IsError(this AnomalyKind kind) => kind <= AnomalyKind.Phantom;

    /// <summary>The kind's column heading in the report's table.</summary>
    public static string Label(this AnomalyKind kind) => kind switch
    {
        AnomalyKind.Lost => "lost",
        AnomalyKind.Duplicated => "duplicated",
        AnomalyKind.InconsistentOffset => "inconsistent",
        AnomalyKind.NonMonotonic => "non-monotonic",
        AnomalyKind.RefusedButWritten => "refused-written",
        AnomalyKind.Phantom => "phantom",
        AnomalyKind.Skipped => "skipped",
        AnomalyKind.OutOfOrder => "out-of-order",
        AnomalyKind.Unseen => "unseen",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
