namespace Orlog.Testing;

/// <summary>What <see cref="HistoryChecker"/> looks for. The first six must never happen; the rest are measured.</summary>
public enum AnomalyKind
{
    /// <summary>Acknowledged, but not in the final read.</summary>
    Lost,

    /// <summary>One send read at two or more offsets (with idempotence on, never).</summary>
    Duplicated,

    /// <summary>Two readers, or a reader and an acknowledgement, name different sends at one offset.</summary>
    InconsistentOffset,

    /// <summary>A consumer's offsets went backwards, or repeated, within one assignment and without a seek.</summary>
    NonMonotonic,

    /// <summary>Refused with an error that promises nothing was written, yet read.</summary>
    RefusedButWritten,

    /// <summary>Read, but no send has that id: a garbled or foreign value.</summary>
    Phantom,

    /// <summary>A consumer jumped over stored records it never saw, within one assignment and without a seek.</summary>
    Skipped,

    /// <summary>One producer's acknowledged records to one partition stored in an order other than sent.</summary>
    OutOfOrder,

    /// <summary>Acknowledged, but no consumer polled it before the final read: lag, not an error.</summary>
    Unseen,
}
