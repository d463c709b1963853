using Orlog.Grains;

namespace Orlog.Benchmarks.Groups;

/// <summary>A group member played by the benchmark, as a client library would play it, holding the partitions it owns.</summary>
internal interface IPlayedMember
{
    /// <summary>The member id (empty until the group gave one, for a classic member).</summary>
    string MemberId { get; }

    /// <summary>The partitions the member holds now (a snapshot, replaced whenever it changes).</summary>
    IReadOnlySet<TopicPartition> Owned { get; }

    /// <summary>Set when the member met something a client would not expect here (an error from the group): the run is void.</summary>
    Exception? Failure { get; }

    /// <summary>What the member needs before its first request (an SDK consumer is built): not timed.</summary>
    Task PrepareAsync();

    /// <summary>Joins (the first request goes out at once) and keeps heartbeating; completes when the first assignment is in hand.</summary>
    Task JoinAsync();

    /// <summary>Stops the heartbeats (not timed: the member is about to leave).</summary>
    Task StopAsync();

    /// <summary>Leaves the group (after <see cref="StopAsync"/>) and drops its partitions.</summary>
    Task LeaveAsync();
}
