namespace Orlog.Grains.Tests.Groups.Classic;

/// <summary>Topic, then partition number.</summary>
internal sealed class PartitionOrder : IComparer<TopicPartition>
{
    public static readonly PartitionOrder Instance = new();

    public int Compare(TopicPartition x, TopicPartition y)
    {
        var byTopic = string.CompareOrdinal(x.Topic, y.Topic);
        return byTopic != 0 ? byTopic : x.Partition.CompareTo(y.Partition);
    }
}
