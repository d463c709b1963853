using Orlog.Client.Admin;
using Orlog.Grains;

namespace Orlog.Client;

/// <summary>The admin client: controller calls for topics, broker calls for offsets.</summary>
internal sealed partial class AdminClient : IAdminClient
{
    private readonly OrlogClient _client;
    private readonly bool _ownsClient;
    private readonly TimeSpan _timeout;

    private readonly StatisticsTimer? _statistics;

    public AdminClient(OrlogClient client, bool ownsClient, ClientConfig? config = null, Action<string>? statisticsHandler = null)
    {
        _client = client;
        _ownsClient = ownsClient;
        _timeout = TimeSpan.FromMilliseconds(client.Config.RequestTimeoutMs);
        config ??= client.Config;
        Name = config.ClientId;
        _statistics = StatisticsTimer.Start(config.Int(ClientSettings.StatisticsIntervalMs), config.ClientId, config.ClientId, "admin", client.Clock,
            static _ => { }, statisticsHandler, client.LoggerFactory.CreateLogger("Orlog.Client.Admin"));
    }

    public string Name { get; }

    public async Task<TopicDescription> CreateTopicAsync(string name, int partitions, short replicationFactor = -1, IReadOnlyDictionary<string, string>? configs = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var created = await Call(controller => controller.CreateTopic(name, partitions, replicationFactor, configs ?? new Dictionary<string, string>()), cancellationToken)
            .ConfigureAwait(false);
        _client.Metadata.Invalidate(name);
        return Describe(created.GetTopicOrThrow(), null, null, null);
    }

    public async Task DeleteTopicAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var deleted = await Call(controller => controller.DeleteTopic(name), cancellationToken).ConfigureAwait(false);
        _client.Metadata.Invalidate(name);
        deleted.GetTopicOrThrow();
    }

    public Task<IReadOnlyList<string>> ListTopicsAsync(CancellationToken cancellationToken = default) =>
        Call(controller => controller.ListTopics(), cancellationToken);

    public async Task<TopicDescription> DescribeTopicAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var metadata = (await Call(controller => controller.DescribeTopic(name), cancellationToken).ConfigureAwait(false)).GetTopicOrThrow();
        var brokers = await Call(controller => controller.ListBrokers(), cancellationToken).ConfigureAwait(false);
        return await DescribeAsync(metadata, brokers, cancellationToken).ConfigureAwait(false);
    }

    // A topic's partitions with the offsets their leaders report, and which replicas are on brokers that are down.
    private async Task<TopicDescription> DescribeAsync(Grains.TopicMetadata metadata, IReadOnlyList<BrokerInfo> brokers, CancellationToken cancellationToken)
    {
        var partitions = new TopicPartition[metadata.Partitions.Count];
        for (var i = 0; i < partitions.Length; i++)
        {
            partitions[i] = new TopicPartition(metadata.Name, metadata.Partitions[i].Partition);
        }
        // Routed by the metadata the controller just gave, not the client's cache: the leaders it shows are the ones asked.
        var earliest = OffsetLookup.ListAsync(_client, partitions, Grains.OffsetSpec.Earliest, metadata);
        var latest = OffsetLookup.ListAsync(_client, partitions, Grains.OffsetSpec.Latest, metadata);
        return Describe(metadata, brokers, await Call(earliest, cancellationToken).ConfigureAwait(false), await Call(latest, cancellationToken).ConfigureAwait(false));
    }

    public async Task<TopicDescription> AlterTopicConfigsAsync(string name, IReadOnlyDictionary<string, string?> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(changes);
        var altered = await Call(controller => controller.AlterConfigs(name, changes), cancellationToken).ConfigureAwait(false);
        _client.Metadata.Invalidate(name);
        return Describe(altered.GetTopicOrThrow(), null, null, null);
    }

    public async Task<TopicDescription> CreatePartitionsAsync(string name, int totalCount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var grown = await Call(controller => controller.AddPartitions(name, totalCount), cancellationToken).ConfigureAwait(false);
        _client.Metadata.Invalidate(name);
        return Describe(grown.GetTopicOrThrow(), null, null, null);
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (_statistics is not null)
        {
            await _statistics.DisposeAsync().ConfigureAwait(false);
        }
        if (_ownsClient)
        {
            await _client.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<BrokerDescription>> ListBrokersAsync(CancellationToken cancellationToken = default)
    {
        var brokers = await Call(controller => controller.ListBrokers(), cancellationToken).ConfigureAwait(false);
        var metadata = await Call(controller => controller.GetMetadata(0), cancellationToken).ConfigureAwait(false);
        var leaders = new Dictionary<int, int>();
        foreach (var topic in metadata?.Topics.Values ?? [])
        {
            foreach (var partition in topic.Partitions)
            {
                leaders[partition.Leader] = leaders.GetValueOrDefault(partition.Leader) + 1;
            }
        }
        var controller = metadata?.ControllerBroker ?? -1;
        return [.. brokers.Select(b => new BrokerDescription(b.Id, b.Gateway, b.Rack, StatusName(b.Status), leaders.GetValueOrDefault(b.Id), b.Id == controller))];
    }

    public async Task<IReadOnlyList<TopicDescription>> DescribeAllTopicsAsync(CancellationToken cancellationToken = default)
    {
        // Every topic and the brokers in one call each; then each topic's offsets from its leaders.
        var topics = await Call(controller => controller.GetTopics(null), cancellationToken).ConfigureAwait(false);
        var brokers = await Call(controller => controller.ListBrokers(), cancellationToken).ConfigureAwait(false);
        var described = new List<TopicDescription>(topics.Count);
        foreach (var topic in topics)
        {
            try
            {
                described.Add(await DescribeAsync(topic, brokers, cancellationToken).ConfigureAwait(false));
            }
            catch (KafkaException error) when (error.Code == ErrorCode.UnknownTopicOrPartition)
            {
                // Deleted between the listing and now.
            }
        }
        return described;
    }

    private static string StatusName(BrokerStatus status) => status switch
    {
        BrokerStatus.Alive => "alive",
        BrokerStatus.ShuttingDown => "shutting-down",
        _ => "dead",
    };

    private static TopicDescription Describe(Grains.TopicMetadata metadata, IReadOnlyList<BrokerInfo>? brokers, Grains.ListOffsetsResult[]? earliest,
        Grains.ListOffsetsResult[]? latest)
    {
        var nodes = Nodes(brokers);
        var alive = brokers?.Where(b => b.Status == BrokerStatus.Alive).Select(b => b.Id).ToHashSet();
        var partitions = new List<TopicPartitionInfo>(metadata.Partitions.Count);
        for (var i = 0; i < metadata.Partitions.Count; i++)
        {
            var partition = metadata.Partitions[i];
            partitions.Add(new TopicPartitionInfo
            {
                Partition = partition.Partition,
                Leader = partition.Leader >= 0 ? NodeOf(nodes, partition.Leader) : null,
                LeaderEpoch = partition.LeaderEpoch,
                Replicas = [.. partition.Replicas.Select(r => NodeOf(nodes, r))],
                ISR = [.. partition.Isr.Select(r => NodeOf(nodes, r))],
                OfflineReplicas = alive is null ? [] : [.. partition.Replicas.Where(r => !alive.Contains(r)).Select(r => NodeOf(nodes, r))],
                LogStartOffset = earliest is not null && earliest[i].Error == ErrorCode.None ? earliest[i].Offset : -1,
                HighWatermark = latest is not null && latest[i].Error == ErrorCode.None ? latest[i].Offset : -1,
            });
        }
        return new TopicDescription { Name = metadata.Name, TopicId = metadata.TopicId, Partitions = partitions, Configs = metadata.Configs };
    }

    /// <summary>The brokers as nodes, by id (none when not looked up).</summary>
    private static Dictionary<int, Node> Nodes(IReadOnlyList<BrokerInfo>? brokers) =>
        brokers?.ToDictionary(b => b.Id, b => Node.FromAddress(b.Id, b.Gateway, b.Rack)) ?? [];

    private static Node NodeOf(Dictionary<int, Node> nodes, int id) => nodes.TryGetValue(id, out var node) ? node : Node.ById(id);

    /// <summary>
    /// A controller call, retried every retry.backoff.ms within request.timeout.ms while it cannot be delivered:
    /// after its broker dies the controller's grain is unreachable until the membership declares that broker
    /// dead and the controller is activated on another one (a rejected message was not processed, so the
    /// retry cannot apply a change twice).
    /// </summary>
    private async Task<T> Call<T>(Func<IControllerGrain, Task<T>> call, CancellationToken cancellationToken)
    {
        var clock = _client.Clock;
        var started = clock.NowMs;
        var backoff = TimeSpan.FromMilliseconds(_client.Config.RetryBackoffMs);
        while (true)
        {
            var remaining = _timeout - TimeSpan.FromMilliseconds(clock.NowMs - started);
            try
            {
                return await call(_client.Gateway.Controller).WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            }
            catch (OrleansMessageRejectionException error)
            {
                if (remaining <= backoff)
                {
                    throw new KafkaException(ErrorCode.NetworkException,
                        $"The controller could not be reached within request.timeout.ms ({_timeout.TotalMilliseconds:0}): the broker hosting it is unreachable and not yet replaced. Retry shortly.", error);
                }
                await Task.Delay(backoff, clock.Provider, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException error)
            {
                throw new KafkaException(ErrorCode.RequestTimedOut, $"The cluster did not answer within request.timeout.ms ({_timeout.TotalMilliseconds:0}).", error);
            }
            catch (OrleansException error)
            {
                throw new KafkaException(ErrorCode.NetworkException, $"The request to the cluster failed: {error.Message}", error);
            }
        }
    }

    private async Task<T> Call<T>(Task<T> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call.WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException error)
        {
            throw new KafkaException(ErrorCode.RequestTimedOut, $"The cluster did not answer within request.timeout.ms ({_timeout.TotalMilliseconds:0}).", error);
        }
        catch (OrleansException error)
        {
            throw new KafkaException(ErrorCode.NetworkException, $"The request to the cluster failed: {error.Message}", error);
        }
    }

    private async Task Call(Task call, CancellationToken cancellationToken)
    {
        await Call(Wrap(call), cancellationToken).ConfigureAwait(false);

        static async Task<bool> Wrap(Task call)
        {
            await call.ConfigureAwait(false);
            return true;
        }
    }

    private static readonly Error _noError = new(ErrorCode.None);

    /// <summary>A Confluent-shaped call bounded by its options' RequestTimeout (each controller call stays within request.timeout.ms).</summary>
    private static async Task<T> Within<T>(TimeSpan? requestTimeout, CancellationToken cancellationToken, Func<CancellationToken, Task<T>> call)
    {
        if (requestTimeout is not { } timeout)
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await call(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException error) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KafkaException(ErrorCode.Local_TimedOut, $"The call did not complete within its RequestTimeout ({timeout.TotalMilliseconds:0} ms).", error);
        }
    }

    /// <summary>One item of a batch call: None, or the error it failed with.</summary>
    private static async Task<Error> OutcomeAsync(Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
            return _noError;
        }
        catch (KafkaException error)
        {
            return error.Error;
        }
    }
}
