namespace Orlog.Client;

/// <summary>How many replicas must have a batch before the broker acknowledges it (acks), with Kafka's numbers.</summary>
public enum Acks
{
    /// <summary>acks=0: the producer does not wait for the broker's reply; offsets are unknown.</summary>
    None = 0,

    /// <summary>acks=1: the leader has appended the batch.</summary>
    Leader = 1,

    /// <summary>acks=all (-1): every in-sync replica has the batch.</summary>
    All = -1,
}
