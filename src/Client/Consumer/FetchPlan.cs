using Orlog.Grains;

namespace Orlog.Client;

/// <summary>One fetch request a fetcher is about to send: its partitions, each with the version and offset it was planned at.</summary>
internal sealed class FetchPlan
{
    public List<PartitionFetch> Requests { get; } = [];

    public List<(PartitionState State, int Version, long Offset)> Partitions { get; } = [];

    /// <summary>Partitions whose position must be looked up first (earliest or latest).</summary>
    public List<(PartitionState State, int Version, long Spec)> Resets { get; } = [];

    /// <summary>How long until a partition waiting after an error may be fetched again (-1: none waits).</summary>
    public long WaitMs { get; set; } = -1;

    public bool IsEmpty => Requests.Count == 0 && Resets.Count == 0;
}
