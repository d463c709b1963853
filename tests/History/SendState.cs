namespace Orlog.Testing;

/// <summary>One send as the checker pieces it together from its start and its outcome.</summary>
internal sealed class SendState(string sendId, string producer, int order)
{
    public string SendId { get; } = sendId;

    public string Producer { get; set; } = producer;

    /// <summary>The send's place among all sends, in the order they started.</summary>
    public int Order { get; set; } = order;

    public SendOutcome Outcome { get; private set; }

    public int Partition { get; private set; }

    public long Offset { get; private set; }

    public string? Error { get; private set; }

    // An acknowledgement is the strongest word on a send: a late ack after a timeout still means it was written.
    public void Acknowledge(int partition, long offset)
    {
        Outcome = SendOutcome.Acknowledged;
        Partition = partition;
        Offset = offset;
    }

    public void End(SendOutcome outcome, string error)
    {
        if (Outcome != SendOutcome.Acknowledged)
        {
            Outcome = outcome;
            Error = error;
        }
    }
}
