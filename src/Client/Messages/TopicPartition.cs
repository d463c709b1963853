namespace Orlog.Client;

/// <summary>A partition of a topic.</summary>
/// <param name="Topic">The topic's name.</param>
/// <param name="Partition">The partition's number, from 0.</param>
public sealed record TopicPartition(string Topic, int Partition)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Topic} [{Partition}]";
}
