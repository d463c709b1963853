namespace Orlog.Grains.Groups.Classic;

/// <summary>One member of a classic group: what it joined with, its session, its assignment and its pending calls.</summary>
internal sealed class ClassicMember
{
    private ConsumerSubscription? _subscription;
    private byte[]? _subscriptionSource;

    public ClassicMember(string memberId, JoinGroupRequest request)
    {
        MemberId = memberId;
        GroupInstanceId = string.IsNullOrEmpty(request.GroupInstanceId) ? null : request.GroupInstanceId;
        Update(request);
    }

    /// <summary>Changes when a static member rejoins with a new member id (KIP-345).</summary>
    public string MemberId { get; set; }

    public string? GroupInstanceId { get; }

    public string ClientId { get; private set; } = "";

    public string ClientHost { get; private set; } = "";

    public int SessionTimeoutMs { get; private set; }

    public int RebalanceTimeoutMs { get; private set; }

    public string ProtocolType { get; private set; } = "";

    public IReadOnlyList<GroupProtocol> Protocols { get; private set; } = [];

    /// <summary>What the leader assigned this member in the current generation (empty until it did).</summary>
    public byte[] Assignment { get; set; } = [];

    /// <summary>When the session ends unless a join, sync or heartbeat renews it (monotonic ms).</summary>
    public long SessionDeadlineMs { get; set; }

    /// <summary>A JoinGroup waiting for the rebalance to complete; non-null = the member has (re)joined this rebalance.</summary>
    public TaskCompletionSource<JoinGroupResponse>? PendingJoin { get; set; }

    /// <summary>A SyncGroup waiting for the leader's assignment.</summary>
    public TaskCompletionSource<SyncGroupResponse>? PendingSync { get; set; }

    public bool IsStatic => GroupInstanceId is not null;

    public void Update(JoinGroupRequest request)
    {
        ClientId = request.ClientId;
        ClientHost = request.ClientHost;
        SessionTimeoutMs = request.SessionTimeoutMs;
        RebalanceTimeoutMs = request.RebalanceTimeoutMs;
        ProtocolType = request.ProtocolType;
        Protocols = request.Protocols;
    }

    public void RenewSession(long nowMs) => SessionDeadlineMs = nowMs + SessionTimeoutMs;

    public bool Supports(string protocolName)
    {
        foreach (var protocol in Protocols)
        {
            if (protocol.Name == protocolName)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The member's metadata for <paramref name="protocolName"/>, or its first protocol's when null or unsupported.</summary>
    public byte[] MetadataFor(string? protocolName)
    {
        foreach (var protocol in Protocols)
        {
            if (protocol.Name == protocolName)
            {
                return protocol.Metadata;
            }
        }
        return Protocols.Count > 0 ? Protocols[0].Metadata : [];
    }

    /// <summary>Same protocols, in the same order, with the same metadata bytes.</summary>
    public bool Matches(IReadOnlyList<GroupProtocol> protocols)
    {
        if (protocols.Count != Protocols.Count)
        {
            return false;
        }
        for (var i = 0; i < protocols.Count; i++)
        {
            if (protocols[i].Name != Protocols[i].Name || !protocols[i].Metadata.AsSpan().SequenceEqual(Protocols[i].Metadata))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The decoded consumer subscription for the protocol (null when not "consumer" or not decodable).</summary>
    public ConsumerSubscription? SubscriptionFor(string? protocolName)
    {
        if (ProtocolType != GroupProtocolTypes.Consumer)
        {
            return null;
        }
        var metadata = MetadataFor(protocolName);
        if (!ReferenceEquals(metadata, _subscriptionSource))
        {
            _subscriptionSource = metadata;
            _subscription = TryDecodeSubscription(metadata);
        }
        return _subscription;
    }

    private static ConsumerSubscription? TryDecodeSubscription(byte[] metadata)
    {
        try
        {
            return ConsumerProtocol.DecodeSubscription(metadata);
        }
        catch (Orlog.Client.KafkaException)
        {
            // The coordinator relays classic metadata opaquely, as Kafka's does; a member whose bytes are not
            // a consumer subscription simply shows no topics.
            return null;
        }
    }
}
