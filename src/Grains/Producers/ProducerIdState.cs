namespace Orlog.Grains.Producers;

/// <summary>The next unallocated block of producer ids, persisted before any id of it is handed out.</summary>
[GenerateSerializer, Alias("orlog.producer-id-state")]
public sealed class ProducerIdState
{
    [Id(0)]
    public long NextBlockStart { get; set; }
}
