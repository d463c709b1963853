namespace Orlog.Grains;

/// <summary>A partition of a topic.</summary>
[GenerateSerializer, Immutable, Alias("orlog.tp")]
public readonly record struct TopicPartition([property: Id(0)] string Topic, [property: Id(1)] int Partition)
{
    public override string ToString() => $"{Topic}-{Partition}";
}
