namespace Orlog.Client.Admin;

/// <summary>One partition's reassignment that a drain or a rebalance started (or would start, on a dry run).</summary>
/// <param name="Topic">The topic.</param>
/// <param name="Partition">The partition.</param>
/// <param name="Replicas">Its replicas before.</param>
/// <param name="TargetReplicas">The replicas it moves to, the preferred leader first.</param>
/// <param name="AlreadyRunning">True when a reassignment that ran before already moves it there (a drain counts it, starts nothing).</param>
public sealed record ReplicaMove(string Topic, int Partition, IReadOnlyList<int> Replicas, IReadOnlyList<int> TargetReplicas, bool AlreadyRunning);
