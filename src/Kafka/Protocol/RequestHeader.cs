namespace Orlog.Kafka.Protocol;

/// <summary>
/// The header before every request body. v0: api key, api version, correlation id; v1 adds the client id, a
/// nullable classic (int16-length) string; v2 adds a tagged-field section, and the client id stays a classic
/// string, as in Kafka, so that brokers of any version can read it.
/// </summary>
public readonly record struct RequestHeader(short ApiKey, short ApiVersion, int CorrelationId, string? ClientId)
{
    /// <summary>
    /// Reads a header whose version follows from the api key and version it starts with (see
    /// <see cref="ApiCatalog.RequestHeaderVersion"/>).
    /// </summary>
    public static RequestHeader Read(ref KafkaReader reader)
    {
        var (apiKey, apiVersion) = Peek(ref reader);
        return Read(ref reader, ApiCatalog.RequestHeaderVersion(apiKey, apiVersion));
    }

    /// <summary>The api key and version at the reader's position, without moving it.</summary>
    public static (short ApiKey, short ApiVersion) Peek(ref KafkaReader reader)
    {
        var copy = reader;
        return (copy.ReadInt16(), copy.ReadInt16());
    }

    public static RequestHeader Read(ref KafkaReader reader, short headerVersion)
    {
        var apiKey = reader.ReadInt16();
        var apiVersion = reader.ReadInt16();
        var correlationId = reader.ReadInt32();
        var clientId = headerVersion >= 1 ? reader.ReadNullableString(compact: false) : null;
        if (headerVersion >= 2)
        {
            reader.SkipTaggedFields();
        }
        return new RequestHeader(apiKey, apiVersion, correlationId, clientId);
    }

    public void Write(KafkaWriter writer, short headerVersion)
    {
        writer.WriteInt16(ApiKey);
        writer.WriteInt16(ApiVersion);
        writer.WriteInt32(CorrelationId);
        if (headerVersion >= 1)
        {
            writer.WriteString(ClientId, compact: false);
        }
        if (headerVersion >= 2)
        {
            writer.WriteUnsignedVarint(0);
        }
    }

    /// <summary>Writes the header in the version its api key and version call for.</summary>
    public void Write(KafkaWriter writer) => Write(writer, ApiCatalog.RequestHeaderVersion(ApiKey, ApiVersion));
}
