namespace Orlog.Grains.Groups.Assignors;

/// <summary>
/// A member of a consumer group as an assignor sees it: its id, its static instance id (if any), the
/// topics it subscribes to (by name, regexes already resolved) and the partitions it owns now.
/// </summary>
public sealed record AssignmentMember(string MemberId, string? InstanceId, IReadOnlySet<string> Topics, IReadOnlySet<TopicPartition> Current);
