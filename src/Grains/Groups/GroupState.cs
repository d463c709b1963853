namespace Orlog.Grains.Groups;

/// <summary>
/// A group's persisted state: whether it exists, its dialect and epoch (so epochs never repeat after a
/// restart), when it last became empty, its committed offsets by topic and partition, and the members and
/// target assignment of a server-side group (so a coordinator that moves keeps its members). Versioned by
/// <see cref="Version"/>.
/// </summary>
[GenerateSerializer, Alias("orlog.group-state")]
public sealed class GroupState
{
    [Id(0)]
    public int Version { get; set; } = 1;

    /// <summary>The group exists: it had a member or a commit, and was not deleted since.</summary>
    [Id(1)]
    public bool Exists { get; set; }

    /// <summary>The dialect of its last members (<see cref="GroupDialects"/>).</summary>
    [Id(2)]
    public string Dialect { get; set; } = GroupDialects.None;

    /// <summary>The group epoch (server-side) or generation (classic) it reached.</summary>
    [Id(3)]
    public int Epoch { get; set; }

    /// <summary>When the group last became empty (epoch milliseconds), for offsets.retention.minutes.</summary>
    [Id(4)]
    public long EmptySinceMs { get; set; }

    /// <summary>Committed offsets: topic → partition → offset.</summary>
    [Id(5)]
    public Dictionary<string, Dictionary<int, OffsetRecord>> Offsets { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The members and target assignment of a server-side group with members; null otherwise.</summary>
    [Id(6)]
    public Consumer.ConsumerGroupSnapshot? Members { get; set; }
}

/// <summary>One committed offset with its metadata string and when it was committed.</summary>
[GenerateSerializer, Alias("orlog.offset-record")]
public sealed class OffsetRecord
{
    [Id(0)]
    public long Offset { get; set; }

    [Id(1)]
    public int LeaderEpoch { get; set; } = -1;

    [Id(2)]
    public string? Metadata { get; set; }

    /// <summary>Epoch milliseconds.</summary>
    [Id(3)]
    public long CommitTimestamp { get; set; }
}
