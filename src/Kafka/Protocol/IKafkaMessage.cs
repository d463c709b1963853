namespace Orlog.Kafka.Protocol;

/// <summary>A generated request or response body.</summary>
public interface IKafkaMessage<TSelf> : IKafkaStruct<TSelf>
    where TSelf : IKafkaMessage<TSelf>
{
    static abstract short ApiKey { get; }

    static abstract short LowestVersion { get; }

    static abstract short HighestVersion { get; }

    static abstract short AdvertisedLowest { get; }

    static abstract short AdvertisedHighest { get; }

    /// <summary>The first flexible version, or -1.</summary>
    static abstract short FlexibleFrom { get; }

    static abstract bool IsFlexible(short version);
}
