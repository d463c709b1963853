namespace Orlog.Grains;

/// <summary>What a broker tells the controller when its silo starts: who it is and how it is reached.</summary>
[GenerateSerializer, Immutable, Alias("orlog.broker-registration")]
public sealed record BrokerRegistration(
    [property: Id(0)] int BrokerId,
    [property: Id(1)] string ClusterId,
    [property: Id(2)] string SiloAddress,
    [property: Id(3)] string? Gateway,
    [property: Id(4)] string? Rack,
    [property: Id(5)] string? Kafka,
    [property: Id(6)] string? Web);

/// <summary>The controller's answer to a registration: <see cref="Orlog.Client.ErrorCode.None"/> or why it was refused.</summary>
[GenerateSerializer, Immutable, Alias("orlog.broker-registration-result")]
public sealed record BrokerRegistrationResult(
    [property: Id(0)] Orlog.Client.ErrorCode Error,
    [property: Id(1)] string? ErrorMessage,
    [property: Id(2)] ClusterMetadata? Metadata);
