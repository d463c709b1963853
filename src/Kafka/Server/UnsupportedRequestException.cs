namespace Orlog.Kafka.Server;

/// <summary>
/// A request for an API or a version this broker does not serve (and did not advertise). Kafka has no answer
/// a client could read for it, so the connection is closed, with one log line naming what was asked.
/// </summary>
public sealed class UnsupportedRequestException(short apiKey, short apiVersion, string? clientId)
    : Exception($"unsupported request: API key {apiKey} version {apiVersion} from client '{clientId}'")
{
    public short ApiKey { get; } = apiKey;

    public short ApiVersion { get; } = apiVersion;

    public string? ClientId { get; } = clientId;
}
