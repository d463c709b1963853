namespace Orlog.Client;

/// <summary>
/// A consumer group's state (Confluent.Kafka's ConsumerGroupState, with the two states of Kafka's consumer
/// protocol, KIP-848, after them).
/// </summary>
public enum ConsumerGroupState
{
    Unknown = 0,
    PreparingRebalance = 1,
    CompletingRebalance = 2,
    Stable = 3,
    Dead = 4,
    Empty = 5,

    /// <summary>The coordinator computes a new target assignment (consumer protocol).</summary>
    Assigning = 6,

    /// <summary>Members move to the target assignment (consumer protocol).</summary>
    Reconciling = 7,
}

/// <summary>A consumer group's type (Kafka 3.8's GroupType, Confluent.Kafka's ConsumerGroupType).</summary>
public enum ConsumerGroupType
{
    Unknown = 0,

    /// <summary>Server-side assignment (KIP-848's consumer protocol).</summary>
    Consumer = 1,

    /// <summary>The classic protocol: the group leader assigns.</summary>
    Classic = 2,
}
