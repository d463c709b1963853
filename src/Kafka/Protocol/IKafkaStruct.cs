namespace Orlog.Kafka.Protocol;

/// <summary>A generated struct: read and written within its message's version.</summary>
public interface IKafkaStruct<TSelf> : IKafkaWritable
    where TSelf : IKafkaStruct<TSelf>
{
    static abstract TSelf Read(ref KafkaReader reader, short version);

    static abstract IReadOnlyList<KafkaFieldInfo> SchemaFields { get; }
}
