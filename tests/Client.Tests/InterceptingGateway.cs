using Orlog.Grains;

namespace Orlog.Client.Tests;

/// <summary>A gateway that counts produce and fetch calls and can lose the replies of the first produce calls.</summary>
internal sealed class InterceptingGateway : IClusterGateway
{
    private readonly IClusterGateway _inner;
    private readonly List<ProduceRequest> _requests = [];
    private int _repliesToDrop;
    private int _produceCalls;
    private int _fetchCalls;
    private int _dropped;

    public InterceptingGateway(IClusterGateway inner, int dropFirstProduceReplies = 0)
    {
        _inner = inner;
        _repliesToDrop = dropFirstProduceReplies;
    }

    public IControllerGrain Controller => DeadBrokers.IsEmpty ? _inner.Controller : DeadBrokersController.Wrap(_inner.Controller, DeadBrokers);

    /// <summary>Brokers the controller's broker list shows dead, whatever their silos do.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<int, bool> DeadBrokers { get; } = new();

    /// <summary>How many produce calls hang (never answer) before the rest pass.</summary>
    public int HangFirstProduces { get; set; }

    public IProducerIdGrain ProducerIds => FailProducerIds ? new FailingProducerIds() : _inner.ProducerIds;

    /// <summary>When set, producer ids cannot be allocated (the controller is unreachable).</summary>
    public bool FailProducerIds { get; set; }

    public int ProduceCalls => Volatile.Read(ref _produceCalls);

    public int FetchCalls => Volatile.Read(ref _fetchCalls);

    public int DroppedReplies => Volatile.Read(ref _dropped);

    /// <summary>Every produce request sent so far, in order (a copy).</summary>
    public List<ProduceRequest> ProduceRequests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Answers a produce request instead of the broker (by call number from 0), or null to pass it on.</summary>
    public Func<ProduceRequest, int, ProduceResponse?>? AnswerProduce { get; set; }

    /// <summary>Runs each produce call (its number from 0, and the call to the broker) instead of passing it on.</summary>
    public Func<ProduceRequest, int, Func<Task<ProduceResponse>>, Task<ProduceResponse>>? AroundProduce { get; set; }

    /// <summary>When set, produce calls never answer (a broker that hangs).</summary>
    public bool HangProduce { get; set; }

    public IBrokerGrain Broker(int brokerId) => new InterceptedBroker(this, _inner.Broker(brokerId));

    public IConsumerGroupGrain Group(string groupId) => _inner.Group(groupId);

    private sealed class FailingProducerIds : IProducerIdGrain
    {
        public Task<ProducerIdAndEpoch> AllocateProducerId() => Task.FromException<ProducerIdAndEpoch>(new TimeoutException("No producer id (test)."));
    }

    private sealed class InterceptedBroker(InterceptingGateway gateway, IBrokerGrain inner) : IBrokerGrain
    {
        public Task UpdateMetadata(ClusterMetadata metadata) => inner.UpdateMetadata(metadata);

        public Task<string> SiloAddress() => inner.SiloAddress();

        public Task<ReplicaFetchResponse> ReplicaFetch(ReplicaFetchRequest request) => inner.ReplicaFetch(request);

        public Task<IReadOnlyList<EpochEndOffset>> OffsetsForLeaderEpoch(IReadOnlyList<EpochEndOffsetRequest> partitions) => inner.OffsetsForLeaderEpoch(partitions);

        public Task<IReadOnlyList<DeleteRecordsResult>> DeleteRecords(IReadOnlyList<DeleteRecordsPartition> partitions) => inner.DeleteRecords(partitions);

        public Task<IReadOnlyList<ReplicaLogInfo>> DescribeReplicas(IReadOnlyList<Grains.TopicPartition> partitions) => inner.DescribeReplicas(partitions);

        public Task<BrokerStatistics> Statistics() => inner.Statistics();

        public async Task<ProduceResponse> Produce(ProduceRequest request)
        {
            var call = Interlocked.Increment(ref gateway._produceCalls) - 1;
            lock (gateway._requests)
            {
                // The bytes as they went on the wire: the producer reuses its buffers once a request is answered.
                gateway._requests.Add(request with { Batches = [.. request.Batches.Select(b => b with { Records = b.Records.ToArray() })] });
            }
            if (gateway.HangProduce || call < gateway.HangFirstProduces)
            {
                await Task.Delay(Timeout.Infinite);
            }
            if (gateway.AnswerProduce?.Invoke(request, call) is { } answer)
            {
                return answer;
            }
            if (gateway.AroundProduce is { } around)
            {
                return await around(request, call, () => inner.Produce(request));
            }
            var response = await inner.Produce(request);
            if (Interlocked.Decrement(ref gateway._repliesToDrop) >= 0)
            {
                Interlocked.Increment(ref gateway._dropped);
                // The broker appended the batches, but the reply is lost on its way back.
                throw new TimeoutException("Reply lost (test).");
            }
            return response;
        }

        public Task<FetchResponse> Fetch(FetchRequest request)
        {
            Interlocked.Increment(ref gateway._fetchCalls);
            return inner.Fetch(request);
        }

        public Task<IReadOnlyList<ListOffsetsResult>> ListOffsets(IReadOnlyList<Grains.TopicPartition> partitions, long timestamp) =>
            inner.ListOffsets(partitions, timestamp);
    }
}
