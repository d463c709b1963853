using Orlog.Kafka.Protocol;

namespace Orlog.Kafka.Server;

/// <summary>An answer to write on the connection: the correlation id, the response header version, the message and its version.</summary>
public readonly record struct KafkaResponse(int CorrelationId, short HeaderVersion, IKafkaWritable Message, short Version)
{
    /// <summary>Writes the header and the message (without the size prefix).</summary>
    public void Write(KafkaWriter writer)
    {
        new ResponseHeader(CorrelationId).Write(writer, HeaderVersion);
        Message.Write(writer, Version);
    }
}
