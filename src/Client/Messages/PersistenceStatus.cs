namespace Orlog.Client;

/// <summary>Whether a produced record is in the log.</summary>
public enum PersistenceStatus
{
    /// <summary>The record is not in the log.</summary>
    NotPersisted = 0,

    /// <summary>The record may be in the log: it was sent, and no reply said so either way (or acks=0).</summary>
    PossiblyPersisted = 1,

    /// <summary>The broker acknowledged the record.</summary>
    Persisted = 2,
}
