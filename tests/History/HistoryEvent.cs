using System.Text.Json.Serialization;

namespace Orlog.Testing;

/// <summary>
/// One thing a fault test saw happen: a send and its outcome, a consumer's poll or assignment change, or a
/// record of the final full read. Sends are identified by a send id the producer embeds in the value
/// (<see cref="SendValues"/>), so a record read back names the send that wrote it.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(SendStarted), "sendStarted")]
[JsonDerivedType(typeof(SendAcknowledged), "sendAcknowledged")]
[JsonDerivedType(typeof(SendRefused), "sendRefused")]
[JsonDerivedType(typeof(SendUnknown), "sendUnknown")]
[JsonDerivedType(typeof(Polled), "polled")]
[JsonDerivedType(typeof(Assigned), "assigned")]
[JsonDerivedType(typeof(Revoked), "revoked")]
[JsonDerivedType(typeof(Seeked), "seeked")]
[JsonDerivedType(typeof(FinalRead), "finalRead")]
public abstract record HistoryEvent
{
    /// <summary>Time since the history started.</summary>
    public TimeSpan At { get; init; }
}

/// <summary>A producer began a send. <paramref name="Partition"/> is null when the partitioner picks it.</summary>
public sealed record SendStarted(string Producer, string SendId, string? Key, int? Partition) : HistoryEvent;

/// <summary>
/// The broker acknowledged the send: it is stored at this partition and offset. A negative offset means the
/// acknowledgement named none (a retry the broker knew only by its producer sequence): stored, offset unknown.
/// </summary>
public sealed record SendAcknowledged(string SendId, int Partition, long Offset) : HistoryEvent;

/// <summary>The send failed with an error that guarantees nothing was written.</summary>
public sealed record SendRefused(string SendId, string Error) : HistoryEvent;

/// <summary>
/// The send's fate is unknown: the client died or timed out, or the broker answered
/// NOT_ENOUGH_REPLICAS_AFTER_APPEND. It may or may not be stored.
/// </summary>
public sealed record SendUnknown(string SendId, string Reason) : HistoryEvent;

/// <summary>A consumer group member received a record while it held the partition in this generation.</summary>
public sealed record Polled(string Consumer, int Generation, int Partition, long Offset, string SendId) : HistoryEvent;

/// <summary>A consumer was given the partition in this generation: a new assignment begins.</summary>
public sealed record Assigned(string Consumer, int Partition, int Generation) : HistoryEvent;

/// <summary>A consumer gave the partition up: its assignment ends.</summary>
public sealed record Revoked(string Consumer, int Partition, int Generation) : HistoryEvent;

/// <summary>A consumer moved its position on purpose; the next poll may be anywhere.</summary>
public sealed record Seeked(string Consumer, int Partition, int Generation, long Offset) : HistoryEvent;

/// <summary>A record of the final full read, done after the faults, from the log start to the end of each partition.</summary>
public sealed record FinalRead(int Partition, long Offset, string SendId) : HistoryEvent;
