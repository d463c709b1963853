namespace Orlog.Grains;

/// <summary>
/// One partition of an AlterPartitionReassignments call (Kafka's KIP-455): move its replicas to
/// <see cref="TargetReplicas"/> (the preferred leader first), or, with null, cancel the reassignment that runs.
/// A reassignment that runs already is replaced only when <see cref="ReplaceRunning"/> is set; otherwise the
/// request is refused with REASSIGNMENT_IN_PROGRESS.
/// </summary>
[GenerateSerializer, Immutable, Alias("orlog.reassignment-request")]
public sealed record ReassignmentRequest(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] IReadOnlyList<int>? TargetReplicas,
    [property: Id(3)] bool ReplaceRunning = true);

/// <summary>
/// The controller's answer to one <see cref="ReassignmentRequest"/>: the partition as committed (still
/// reassigning, or already done when nothing had to be copied), or the error that refused it:
/// UNKNOWN_TOPIC_OR_PARTITION, INVALID_REPLICA_ASSIGNMENT (no replica, a broker twice, a broker not registered
/// or not alive to copy, fewer replicas than min.insync.replicas), REASSIGNMENT_IN_PROGRESS (one runs and the
/// request does not replace it), NO_REASSIGNMENT_IN_PROGRESS (a cancel with none running).
/// </summary>
[GenerateSerializer, Immutable, Alias("orlog.reassignment-result")]
public sealed record ReassignmentResult(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] Orlog.Client.ErrorCode Error,
    [property: Id(3)] string? ErrorMessage,
    [property: Id(4)] PartitionMetadata? Metadata);

/// <summary>A partition whose reassignment runs, as the controller last committed it.</summary>
/// <param name="Topic">The topic.</param>
/// <param name="Partition">The partition.</param>
/// <param name="Leader">Its leader, or -1.</param>
/// <param name="Replicas">Every replica now: the target replicas, then the ones being removed.</param>
/// <param name="TargetReplicas">Where it moves to, the preferred leader first.</param>
/// <param name="AddingReplicas">Target replicas still copying.</param>
/// <param name="RemovingReplicas">Replicas that go once every target replica is in sync.</param>
/// <param name="Isr">The in-sync replicas.</param>
[GenerateSerializer, Immutable, Alias("orlog.reassigning-partition")]
public sealed record ReassigningPartition(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] int Leader,
    [property: Id(3)] IReadOnlyList<int> Replicas,
    [property: Id(4)] IReadOnlyList<int> TargetReplicas,
    [property: Id(5)] IReadOnlyList<int> AddingReplicas,
    [property: Id(6)] IReadOnlyList<int> RemovingReplicas,
    [property: Id(7)] IReadOnlyList<int> Isr);

/// <summary>The reassignments that run (Kafka's ListPartitionReassignments), or the error that refused the listing.</summary>
[GenerateSerializer, Immutable, Alias("orlog.reassignment-listing")]
public sealed record ReassignmentListing(
    [property: Id(0)] Orlog.Client.ErrorCode Error,
    [property: Id(1)] string? ErrorMessage,
    [property: Id(2)] IReadOnlyList<ReassigningPartition> Partitions);

/// <summary>
/// One partition of a drain or a rebalance: its replicas before and the target they move to.
/// <see cref="AlreadyRunning"/> marks a reassignment that ran before and already moves where asked.
/// </summary>
[GenerateSerializer, Immutable, Alias("orlog.planned-move")]
public sealed record PlannedMove(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] IReadOnlyList<int> Replicas,
    [property: Id(3)] IReadOnlyList<int> TargetReplicas,
    [property: Id(4)] bool AlreadyRunning = false);

/// <summary>The reassignments a drain or a rebalance started (or would start, on a dry run), or the error that refused it.</summary>
[GenerateSerializer, Immutable, Alias("orlog.move-plan")]
public sealed record MovePlan(
    [property: Id(0)] Orlog.Client.ErrorCode Error,
    [property: Id(1)] string? ErrorMessage,
    [property: Id(2)] IReadOnlyList<PlannedMove> Moves)
{
    public static MovePlan Failed(Orlog.Client.ErrorCode error, string message) => new(error, message, []);
}

/// <summary>The answer to a broker operation (unregistering a broker): nothing, or the error that refused it.</summary>
[GenerateSerializer, Immutable, Alias("orlog.broker-result")]
public sealed record BrokerResult(
    [property: Id(0)] Orlog.Client.ErrorCode Error,
    [property: Id(1)] string? ErrorMessage);
