namespace Orlog.Client;

/// <summary>What the consuming thread asks of the fetcher.</summary>
internal abstract record FetchCommand
{
    /// <summary>Fetch <see cref="Owner"/> from <see cref="From"/> (an offset, Beginning or End) at <see cref="Version"/>.</summary>
    public sealed record Start(AssignedPartition Owner, int Version, Offset From) : FetchCommand;

    /// <summary>Stop fetching a partition (unassigned, paused, halted) as of <see cref="Version"/>.</summary>
    public sealed record Stop(TopicPartition Partition, int Version) : FetchCommand;
}
