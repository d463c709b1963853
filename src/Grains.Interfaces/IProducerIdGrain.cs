namespace Orlog.Grains;

/// <summary>Hands out producer ids for idempotent producers (key 0), in persisted blocks: never reused.</summary>
[Alias("orlog.producer-ids")]
public interface IProducerIdGrain : IGrainWithIntegerKey
{
    [Alias("allocate")]
    Task<ProducerIdAndEpoch> AllocateProducerId();
}

[GenerateSerializer, Immutable, Alias("orlog.producer-id-epoch")]
public readonly record struct ProducerIdAndEpoch([property: Id(0)] long ProducerId, [property: Id(1)] short Epoch);
