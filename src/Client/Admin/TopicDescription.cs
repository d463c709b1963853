namespace Orlog.Client;

/// <summary>A topic as the cluster describes it: its id, partitions (with offsets when described) and config overrides.</summary>
/// <param name="Name">The topic's name.</param>
/// <param name="TopicId">The topic's id (Kafka's topic id): a re-created topic has a new one.</param>
/// <param name="Partitions">The partitions, by number.</param>
/// <param name="Configs">The topic's config overrides (Kafka's topic config names).</param>
public sealed record TopicDescription(string Name, Guid TopicId, IReadOnlyList<PartitionDescription> Partitions, IReadOnlyDictionary<string, string> Configs);
