namespace Orlog.Testing;

/// <summary>The lookups the checks share, built in one pass over the events.</summary>
internal sealed class HistoryIndex
{
    public HistoryIndex(IReadOnlyList<HistoryEvent> events)
    {
        Events = events;
        foreach (var e in events)
        {
            switch (e)
            {
                case SendStarted s:
                    var send = Send(s.SendId);
                    if (send.Order == int.MaxValue)
                    {
                        send.Producer = s.Producer;
                        send.Order = SendsInOrder.Count;
                        SendsInOrder.Add(send);
                    }
                    Touch(s.Partition);
                    break;
                case SendAcknowledged a:
                    Send(a.SendId).Acknowledge(a.Partition, a.Offset);
                    Touch(a.Partition);
                    break;
                case SendRefused r:
                    Send(r.SendId).End(SendOutcome.Refused, r.Error);
                    break;
                case SendUnknown u:
                    Send(u.SendId).End(SendOutcome.Unknown, u.Reason);
                    break;
                case Polled p:
                    Polls.Add(p);
                    PolledSendIds.Add(p.SendId);
                    Read(p.SendId, p.Partition, p.Offset);
                    break;
                case FinalRead f:
                    FinalReads.Add(f);
                    FinalAt.TryAdd((f.Partition, f.Offset), f.SendId);
                    FinalOf.TryAdd(f.SendId, (f.Partition, f.Offset));
                    Read(f.SendId, f.Partition, f.Offset);
                    break;
                case Assigned s:
                    Touch(s.Partition);
                    break;
            }
        }
        FinalOffsets = FinalReads.GroupBy(f => f.Partition)
            .ToDictionary(g => g.Key, g => g.Select(f => f.Offset).Distinct().Order().ToArray());
    }

    public IReadOnlyList<HistoryEvent> Events { get; }

    public Dictionary<string, SendState> Sends { get; } = [];

    /// <summary>Sends in the order they started; a send only ever acknowledged is not among them.</summary>
    public List<SendState> SendsInOrder { get; } = [];

    public List<Polled> Polls { get; } = [];

    public HashSet<string> PolledSendIds { get; } = [];

    public List<FinalRead> FinalReads { get; } = [];

    /// <summary>The send the final read found at each partition and offset.</summary>
    public Dictionary<(int Partition, long Offset), string> FinalAt { get; } = [];

    /// <summary>Where the final read found each send (the first place, if it found it twice).</summary>
    public Dictionary<string, (int Partition, long Offset)> FinalOf { get; } = [];

    /// <summary>Each partition's offsets that the final read found holding a record, ascending.</summary>
    public Dictionary<int, long[]> FinalOffsets { get; }

    /// <summary>Every distinct place any reader (consumer or final read) found each send, first seen first.</summary>
    public Dictionary<string, List<(int Partition, long Offset)>> ReadAt { get; } = [];

    /// <summary>Every partition any send, acknowledgement, assignment or read named.</summary>
    public SortedSet<int> Partitions { get; } = [];

    private SendState Send(string sendId)
    {
        if (!Sends.TryGetValue(sendId, out var send))
        {
            send = new SendState(sendId, producer: "", order: int.MaxValue);
            Sends.Add(sendId, send);
        }
        return send;
    }

    private void Read(string sendId, int partition, long offset)
    {
        Touch(partition);
        if (!ReadAt.TryGetValue(sendId, out var places))
        {
            places = [];
            ReadAt.Add(sendId, places);
        }
        if (!places.Contains((partition, offset)))
        {
            places.Add((partition, offset));
        }
    }

    private void Touch(int? partition)
    {
        if (partition is { } p)
        {
            Partitions.Add(p);
        }
    }
}
