namespace Orlog.Kafka.Protocol;

/// <summary>
/// The header before every response body: v0 the correlation id; v1 adds a tagged-field section. Which one
/// a response takes: <see cref="ApiCatalog.ResponseHeaderVersion"/> (ApiVersions always v0).
/// </summary>
public readonly record struct ResponseHeader(int CorrelationId)
{
    public static ResponseHeader Read(ref KafkaReader reader, short headerVersion)
    {
        var correlationId = reader.ReadInt32();
        if (headerVersion >= 1)
        {
            reader.SkipTaggedFields();
        }
        return new ResponseHeader(correlationId);
    }

    public void Write(KafkaWriter writer, short headerVersion)
    {
        writer.WriteInt32(CorrelationId);
        if (headerVersion >= 1)
        {
            writer.WriteUnsignedVarint(0);
        }
    }
}
