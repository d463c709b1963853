using System.Buffers;
using Orlog.Kafka.Protocol;

namespace Orlog.Kafka.Tests;

/// <summary>A header and a body written one after the other, as they go on the wire (less the size prefix).</summary>
internal static class Frames
{
    public static byte[] Request(RequestHeader header, IKafkaWritable body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new KafkaWriter(buffer);
        header.Write(writer);
        body.Write(writer, header.ApiVersion);
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Response(int correlationId, short apiKey, short version, IKafkaWritable body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new KafkaWriter(buffer);
        new ResponseHeader(correlationId).Write(writer, ApiCatalog.ResponseHeaderVersion(apiKey, version));
        body.Write(writer, version);
        return buffer.WrittenSpan.ToArray();
    }
}
