namespace Orlog.Kafka.Server;

/// <summary>Who sent a request: the client id from its header and the host it connected from (groups show both).</summary>
public readonly record struct KafkaClientInfo(string ClientId, string Host);
