namespace Orlog.Client;

/// <summary>What the group did to a member, for the consuming thread to act on (handlers, commits, dropping partitions).</summary>
internal abstract record MemberChange;

/// <summary>
/// The group's whole assignment for the member changed: partitions owned and not in <see cref="Target"/> are
/// revoked, those in it and not owned are added, each starting where <see cref="Starts"/> says.
/// </summary>
internal sealed record AssignmentChanged(IReadOnlySet<TopicPartition> Target, IReadOnlyDictionary<TopicPartition, PartitionStart> Starts) : MemberChange
{
    /// <summary>The member's target version it was made at, reported back with what the consumer then owns.</summary>
    public int TargetVersion { get; init; }
}

/// <summary>The member lost its partitions (fenced, its session expired, or Consume was not called in time); they are dropped without committing.</summary>
internal sealed record PartitionsLost(string Reason) : MemberChange;

/// <summary>The group refused the member for good (a bad group id, a group of the other dialect): its partitions are lost and Consume throws.</summary>
internal sealed record MembershipFailed(KafkaException Error) : MemberChange;

/// <summary>Where a newly assigned partition starts: its leader, and the group's committed offset (-1 for none).</summary>
internal readonly record struct PartitionStart(int Leader, long Committed);
