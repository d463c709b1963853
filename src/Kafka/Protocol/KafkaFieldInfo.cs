namespace Orlog.Kafka.Protocol;

/// <summary>One field as its schema declares it; each generated class lists its own in <c>SchemaFields</c>.</summary>
/// <param name="Name">The field's (and the C# property's) name.</param>
/// <param name="Type">The schema type: <c>int32</c>, <c>[]string</c>, <c>[]MetadataRequestTopic</c>.</param>
/// <param name="Versions">The versions that carry the field.</param>
/// <param name="NullableVersions">The versions in which it may be null.</param>
/// <param name="TaggedVersions">The versions in which it is a tagged field.</param>
/// <param name="Tag">Its tag, or -1.</param>
/// <param name="Ignorable">True when a version without the field drops a value silently.</param>
public sealed record KafkaFieldInfo(
    string Name,
    string Type,
    KafkaVersionRange Versions,
    KafkaVersionRange NullableVersions,
    KafkaVersionRange TaggedVersions,
    int Tag,
    bool Ignorable);
