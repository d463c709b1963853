namespace Orlog.Kafka.Protocol;

/// <summary>Anything the codec writes: a message or one of its structs.</summary>
public interface IKafkaWritable
{
    /// <summary>Writes the value as <paramref name="version"/> lays it out.</summary>
    void Write(KafkaWriter writer, short version);

    /// <summary>True when every field holds its default.</summary>
    bool IsDefault();
}
